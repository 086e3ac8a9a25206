import { quantileSorted } from '../quantile-sorted.ts';

export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
}

/**
 * p50/p95/p99 of the values, interpolated between ranks (R's type 7, numpy's default), or null when
 * there are none (a target that never answered).
 */
export function percentiles(values: readonly number[]): Percentiles | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: quantileSorted(sorted, 0.5), p95: quantileSorted(sorted, 0.95), p99: quantileSorted(sorted, 0.99) };
}

/** Succeeded as a percentage of all, or null when nothing was counted. */
export function successRate(succeeded: number, total: number): number | null {
  return total === 0 ? null : (succeeded / total) * 100;
}

export function formatPercent(value: number): string {
  return `${+value.toFixed(2)}%`;
}

/** Whole milliseconds, but a tenth below 10 ms: a local service answers in less than one. */
export function formatMs(value: number): string {
  return `${value < 10 ? +value.toFixed(1) : Math.round(value)}ms`;
}
