import { describe, expect, it } from 'vitest';
import { parseQualityGatesInput } from './deploy-quality-gates.ts';

describe('the quality-gates input of the deploy actions', () => {
  it('takes quality-gate inputs as name: value lines, a list as lines', () => {
    const parsed = parseQualityGatesInput('junit:\n  - reports/a.xml\n  - reports/b.xml\nmin-coverage: 85%\nmax-failed-tests: 0');
    expect(Object.fromEntries(parsed)).toEqual({ junit: 'reports/a.xml\nreports/b.xml', 'min-coverage': '85%', 'max-failed-tests': '0' });
  });

  it.each([
    ['just words', /^quality-gates: "just words" is not valid; write `name: value` lines, names from: junit, coverage, .*gates, ref$/],
    ['environment: production', /^quality-gates: "environment" is not a quality gate input; use: junit, coverage/],
    ['junit:', /^quality-gates: junit: "null" is not valid; give a value or a list of values$/],
    ['junit: { a: 1 }', /^quality-gates: junit: "\{\\"a\\":1\}" is not valid; give a value or a list of values$/],
    ['junit: [a', /^quality-gates: "junit: \[a" is not valid; write `name: value` lines \(YAML\); /],
  ])('names what is wrong with %j', (raw, message) => {
    expect(() => parseQualityGatesInput(raw)).toThrow(message);
  });
});
