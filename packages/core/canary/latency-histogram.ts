/**
 * Latencies of one version in one step, kept as counts in logarithmic buckets 1% wide so memory stays
 * bounded however long the step runs: 2,085 counters from 0.01 ms to 10⁷ ms (below and above share
 * the end buckets). A quantile is read as its bucket's geometric middle, within ±0.5% of the exact value.
 */
const GROWTH = 1.01;
const LOG_GROWTH = Math.log(GROWTH);
const FLOOR_MS = 0.01;
const BUCKETS = Math.ceil(Math.log(1e7 / FLOOR_MS) / LOG_GROWTH) + 1;

export class LatencyHistogram {
  private readonly counts = new Float64Array(BUCKETS);
  count = 0;
  private sumMs = 0;
  /** The first bucket in use: quantiles start counting there, not at 0.01 ms. */
  private lowest = BUCKETS;

  add(values: readonly number[]): void {
    for (const ms of values) {
      const bucket = Math.min(Math.floor(Math.log(Math.max(ms, FLOOR_MS) / FLOOR_MS) / LOG_GROWTH), BUCKETS - 1);
      this.counts[bucket]! += 1;
      this.lowest = Math.min(this.lowest, bucket);
      this.count += 1;
      this.sumMs += ms;
    }
  }

  meanMs(): number | undefined {
    return this.count === 0 ? undefined : this.sumMs / this.count;
  }

  /** The quantiles (each 0..1, ascending) by nearest rank, in one pass; empty with no values. */
  quantilesMs(qs: readonly number[]): number[] {
    if (this.count === 0) return [];
    const ranks = qs.map((q) => Math.max(1, Math.ceil(q * this.count)));
    const found: number[] = [];
    let seen = 0;
    for (let bucket = this.lowest; bucket < BUCKETS && found.length < ranks.length; bucket += 1) {
      seen += this.counts[bucket]!;
      while (found.length < ranks.length && seen >= ranks[found.length]!) found.push(FLOOR_MS * GROWTH ** (bucket + 0.5));
    }
    return found;
  }
}
