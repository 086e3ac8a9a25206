import { describe, expect, it } from 'vitest';
import { parseDuration, parseSeconds, formatDuration } from './durations.ts';
import { parsePercentage } from './percentages.ts';
import { parseBoolean, parseEnum, parseInteger, parseList } from './scalars.ts';
import { parseStatusRanges, statusAllowed } from './status-ranges.ts';

describe('durations', () => {
  it.each([
    ['30s', 30_000],
    ['5m', 300_000],
    ['250ms', 250],
    ['1.5h', 5_400_000],
    ['1m30s', 90_000],
    ['7d', 604_800_000],
  ])('%s is %d ms', (raw, ms) => expect(parseDuration('timeout', raw)).toBe(ms));

  it.each(['', '30', 'five minutes', '5 m', '-5s', '5y', '1m30'])('rejects %j naming the input', (raw) => {
    expect(() => parseDuration('timeout', raw)).toThrow(
      `timeout: ${JSON.stringify(raw)} is not valid; use a number with a unit: ms, s, m, h or d (e.g. 500ms, 30s, 5m, 1h, 7d)`,
    );
  });

  it.each([
    ['timeframe', '999999999d'],
    ['timeframe', '36500d1ms'],
    ['interval', `${'9'.repeat(400)}s`],
  ])('refuses %s %s: too long for a Date, naming the input and the maximum', (what, raw) => {
    expect(() => parseDuration(what, raw)).toThrow(`${what}: ${raw.length > 80 ? '"9' : JSON.stringify(raw)}`);
    expect(() => parseDuration(what, raw)).toThrow(/is not valid; use at most 36500d$/);
  });

  it('takes a century, and a century of seconds from the config file', () => {
    expect(parseDuration('timeframe', '36500d')).toBe(36_500 * 86_400_000);
    expect(() => parseSeconds('interval', 36_500 * 86_400 + 1)).toThrow('interval: "3153600001" is not valid; use at most 36500d');
  });

  it('reads bare numbers as seconds where the config file does', () => {
    expect(parseSeconds('monitoring.health_check_interval', 60)).toBe(60_000);
    expect(parseSeconds('x', '2m')).toBe(120_000);
  });

  it('formats for people', () => {
    expect([formatDuration(250), formatDuration(1500), formatDuration(90_000)]).toEqual(['250ms', '1.5s', '1m30s']);
  });

  it('formats long durations in their two largest units, rounded before they are split', () => {
    const [minute, hour, day] = [60_000, 3_600_000, 86_400_000];
    expect([45_000, 119_700, 90 * minute, 2 * hour, 3 * day + 4 * hour, 5 * day].map(formatDuration)).toEqual(['45s', '2m', '1h30m', '2h', '3d4h', '5d']);
    expect([hour - 300, day - 20_000].map(formatDuration)).toEqual(['1h', '1d']);
  });
});

describe('percentages', () => {
  it.each([
    ['99.5%', 99.5],
    ['80', 80],
    ['100%', 100],
    ['0%', 0],
  ])('%s is %d', (raw, value) => expect(parsePercentage('min-success-rate', raw)).toBe(value));

  it.each(['101%', 'abc', '-1%', '', '50%%'])('rejects %j', (raw) => {
    expect(() => parsePercentage('min-success-rate', raw)).toThrow(
      `min-success-rate: ${JSON.stringify(raw)} is not valid; use a percentage from 0 to 100, e.g. 99.5% or 80`,
    );
  });
});

describe('scalars', () => {
  it('reads booleans the way YAML authors write them', () => {
    expect(['true', 'Yes', 'on', '1'].map((v) => parseBoolean('push', v))).toEqual([true, true, true, true]);
    expect(['false', 'NO', 'off', '0'].map((v) => parseBoolean('push', v))).toEqual([false, false, false, false]);
    expect(() => parseBoolean('push', 'maybe')).toThrow('push: "maybe" is not valid; use true or false');
  });

  it('reads integers within bounds', () => {
    expect(parseInteger('samples', '5', { min: 1 })).toBe(5);
    expect(() => parseInteger('samples', '0', { min: 1 })).toThrow('samples: "0" is not valid; use a whole number 1 or more');
    expect(() => parseInteger('samples', '2.5', { min: 1, max: 10 })).toThrow('use a whole number from 1 to 10');
  });

  it('reads enums naming what is allowed', () => {
    expect(parseEnum('router', 'nginx', ['haproxy', 'nginx'])).toBe('nginx');
    expect(() => parseEnum('router', 'traefik', ['haproxy', 'nginx'])).toThrow('router: "traefik" is not valid; use one of: haproxy, nginx');
  });

  it('splits lists on lines and commas, skipping blanks and comments', () => {
    expect(parseList('a, b\n\n# note\n c \n')).toEqual(['a', 'b', 'c']);
    expect(parseList('x,y\nz', { commas: false })).toEqual(['x,y', 'z']);
  });
});

describe('status ranges', () => {
  it('reads ranges, lists and families', () => {
    const ranges = parseStatusRanges('expected-status', '200-399, 418, 5xx');
    expect([200, 399, 418, 503].every((s) => statusAllowed(s, ranges))).toBe(true);
    expect([199, 400, 404].some((s) => statusAllowed(s, ranges))).toBe(false);
  });

  it.each(['', '99', '300-200', 'ok', '600'])('rejects %j', (raw) => {
    expect(() => parseStatusRanges('expected-status', raw)).toThrow('expected-status: ');
  });
});
