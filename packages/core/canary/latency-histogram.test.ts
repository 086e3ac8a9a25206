import { describe, expect, it } from 'vitest';
import { logNormal, seededRandom } from '../../../test/support/seeded-random.ts';
import { percentiles } from '../health/percentiles.ts';
import { LatencyHistogram } from './latency-histogram.ts';

describe('the latency histogram', () => {
  it('reads quantiles within 1% of the exact ones', () => {
    const random = seededRandom(42);
    const values = Array.from({ length: 20_000 }, () => logNormal(random, 80, 0.7));
    const histogram = new LatencyHistogram();
    histogram.add(values);
    const exact = percentiles(values)!;
    const [p50, p95, p99] = histogram.quantilesMs([0.5, 0.95, 0.99]);
    expect(p50! / exact.p50).toBeCloseTo(1, 1.7);
    expect(p95! / exact.p95).toBeCloseTo(1, 1.7);
    expect(p99! / exact.p99).toBeCloseTo(1, 1.7);
    expect(histogram.meanMs()).toBeCloseTo(values.reduce((sum, value) => sum + value, 0) / values.length, 9);
  });

  it('keeps zero and hour-long answers in its end buckets', () => {
    const histogram = new LatencyHistogram();
    histogram.add([0, 0, 3.6e9]);
    const [p50, p99] = histogram.quantilesMs([0.5, 0.99]);
    expect(p50).toBeLessThan(0.011);
    expect(p99).toBeGreaterThan(9.9e6);
    expect(new LatencyHistogram().quantilesMs([0.5])).toEqual([]);
  });
});
