import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../errors.ts';
import { parseDuration } from './durations.ts';
import { parseUrlPath } from './url-path.ts';

describe('parseUrlPath', () => {
  it('takes a path with an optional query', () => {
    expect(parseUrlPath('health-path', ' /health ')).toBe('/health');
    expect(parseUrlPath('health-path', '/ready?deep=1&x=%20')).toBe('/ready?deep=1&x=%20');
  });

  it.each([
    ['health', 'no leading slash'],
    ['/health\ntcp://127.0.0.1:22', 'a line break that would add a probe target'],
    ['/he alth', 'a space'],
    ['//evil.example/x#frag', 'a fragment'],
    ['-x', 'an option'],
    ['http://127.0.0.1/health', 'a URL'],
  ])('refuses %j (%s), naming the input', (raw) => {
    expect(() => parseUrlPath('health-path', raw)).toThrow(ConfigurationError);
    expect(() => parseUrlPath('health-path', raw)).toThrow(/^health-path: .* is not valid; use an HTTP path starting with \//);
  });
});

describe('parseDuration bounds', () => {
  it('refuses 0 where a minimum is set, and anything beyond a year', () => {
    expect(() => parseDuration('health-timeout', '0s', { minMs: 1 })).toThrow('health-timeout: "0s" is not valid; use a duration above zero, e.g. 30s or 5m');
    expect(() => parseDuration('timeframe', '999999999d')).toThrow('timeframe: "999999999d" is not valid; use at most 36500d');
    expect(parseDuration('switch-delay', '0s')).toBe(0);
  });
});
