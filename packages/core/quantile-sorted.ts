/**
 * The p-quantile (0 ≤ p ≤ 1) of values sorted ascending, interpolated linearly between the two
 * nearest ranks: R's type 7, numpy's default. The health report and the DORA metrics need only this.
 */
export function quantileSorted(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new RangeError('quantileSorted: no values');
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantileSorted: p must be between 0 and 1, got ${p}`);
  const rank = (sorted.length - 1) * p;
  const lower = Math.floor(rank);
  const below = sorted[lower]!;
  const above = sorted[Math.ceil(rank)]!;
  return below + (rank - lower) * (above - below);
}
