import { describe, expect, it } from 'vitest';
import { quantileSorted } from './quantile-sorted.ts';

describe('quantileSorted', () => {
  const sample = [3, 6, 7, 8, 8, 9, 10, 13, 15, 16, 20];

  it('matches numpy.percentile and R type 7', () => {
    // numpy.percentile(sample, [0, 25, 50, 90, 95, 99, 100])
    expect([0, 0.25, 0.5, 0.9, 0.95, 0.99, 1].map((p) => quantileSorted(sample, p))).toEqual(
      [3, 7.5, 9, 16, 18, 19.6, 20].map((v): unknown => expect.closeTo(v, 10)),
    );
  });

  it('interpolates between two values and returns a lone value for every p', () => {
    expect(quantileSorted([100, 200], 0.95)).toBeCloseTo(195, 10);
    expect([0, 0.5, 1].map((p) => quantileSorted([42], p))).toEqual([42, 42, 42]);
  });

  it('refuses no values and a p outside 0..1', () => {
    expect(() => quantileSorted([], 0.5)).toThrow(/no values/);
    expect(() => quantileSorted(sample, 1.5)).toThrow(/between 0 and 1, got 1.5/);
    expect(() => quantileSorted(sample, Number.NaN)).toThrow(/got NaN/);
  });
});
