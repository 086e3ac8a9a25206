import { describe, expect, it } from 'vitest';
import { CountEProcess } from './count-e-process.ts';

const ODDS_FACTORS = Array.from({ length: 12 }, (_, i) => Math.SQRT2 ** (i + 1));

describe('the count e-process', () => {
  it('gathers no evidence from a look without events, or where one version answered nothing', () => {
    const process = new CountEProcess();
    process.observe(0, 0, 100, 900);
    process.observe(5, 0, 100, 0);
    process.observe(0, 5, 0, 100);
    expect([process.eValue(), process.pValue(), process.counts().total]).toEqual([1, 1, 0]);
  });

  it('mixes the likelihood ratios of its odds factors evenly', () => {
    const process = new CountEProcess();
    // One event, the canary's, with half the traffic: each factor r gives r / (1 + (r − 1) / 2).
    process.observe(1, 0, 50, 50);
    const expected = ODDS_FACTORS.reduce((sum, r) => sum + (2 * r) / (1 + r), 0) / ODDS_FACTORS.length;
    expect(process.eValue()).toBeCloseTo(expected, 12);
    expect(process.counts()).toEqual({ canary: 1, total: 1, expectedCanary: 0.5 });
  });

  it('multiplies looks at different traffic splits', () => {
    const split = new CountEProcess();
    split.observe(2, 8, 100, 900);
    split.observe(3, 1, 500, 500);
    const logE = ODDS_FACTORS.map((r) => 2 * Math.log(r) - 10 * Math.log1p(0.1 * (r - 1)) + 3 * Math.log(r) - 4 * Math.log1p(0.5 * (r - 1)));
    const expected = logE.reduce((sum, value) => sum + Math.exp(value), 0) / ODDS_FACTORS.length;
    expect(split.eValue()).toBeCloseTo(expected, 10);
  });

  it('loses evidence when the canary gets only its share, and keeps its smallest p-value', () => {
    const process = new CountEProcess();
    process.observe(10, 0, 100, 900);
    const strongest = process.pValue();
    expect(strongest).toBeLessThan(1e-6);
    for (let look = 0; look < 50; look += 1) process.observe(1, 9, 100, 900);
    expect(process.eValue()).toBeLessThan(1 / strongest);
    expect(process.pValue()).toBe(strongest);
  });

  it('keeps overwhelming evidence finite, so the analysis stays JSON', () => {
    const process = new CountEProcess();
    for (let look = 0; look < 100; look += 1) process.observe(50, 0, 100, 900);
    expect(JSON.parse(JSON.stringify([process.eValue(), process.pValue()]))).toEqual([Number.MAX_VALUE, 1e-300]);
  });
});
