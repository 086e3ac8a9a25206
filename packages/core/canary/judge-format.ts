import { formatPercent } from '../health/percentiles.ts';

/** A probability people can compare at a glance: 0.0003, 3.2e-7. */
export function formatP(p: number): string {
  return p >= 0.0001 || p === 0 ? `${+p.toPrecision(2)}` : p.toExponential(1);
}

/** A rate 0..1 as a percentage: 0.051 → 5.1%. */
export function formatRate(rate: number): string {
  return formatPercent(rate * 100);
}

/** A difference of rates in percentage points, signed: 0.049 → +4.9 points. */
export function formatPoints(difference: number): string {
  return `${difference >= 0 ? '+' : ''}${+(difference * 100).toFixed(2)} points`;
}

/** A ratio − 1 as a signed percentage: 0.96 → +96%. */
export function formatExcess(ratioMinusOne: number): string {
  return `${ratioMinusOne >= 0 ? '+' : ''}${+(ratioMinusOne * 100).toFixed(1)}%`;
}
