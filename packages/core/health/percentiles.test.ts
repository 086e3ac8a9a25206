import { describe, expect, it } from 'vitest';
import { formatMs, formatPercent, percentiles, successRate } from './percentiles.ts';

describe('percentiles', () => {
  it('is null without values', () => {
    expect(percentiles([])).toBeNull();
    expect(successRate(0, 0)).toBeNull();
  });

  it('does not care about order', () => {
    expect(percentiles([5, 1, 3, 2, 4])).toEqual(percentiles([1, 2, 3, 4, 5]));
  });

  it('formats for people', () => {
    expect([formatMs(0.42), formatMs(9.96), formatMs(2300.4)]).toEqual(['0.4ms', '10ms', '2300ms']);
    expect([formatPercent(99.5), formatPercent((2 / 3) * 100), formatPercent(100)]).toEqual(['99.5%', '66.67%', '100%']);
  });
});
