import type { TestResult } from './canary-judge.ts';
import type { CountEProcess } from './count-e-process.ts';

/** What one comparison says at one look: its result, and why it fails the canary when it does. */
export interface Finding {
  result: TestResult;
  failure?: string;
}

export interface CountTestSpec {
  metric: string;
  method: string;
  alpha: number;
  minEffect: number;
  /** Canary − stable on the step's figures; undefined when a version has none. */
  effect: number | undefined;
}

/**
 * A count test's result at this look, and whether it fails the canary: significant at its alpha and
 * with a difference of at least min-effect (a significant but tiny difference passes).
 */
export function countTestResult(process: CountEProcess, spec: CountTestSpec): { result: TestResult; fails: boolean } {
  const pValue = process.pValue();
  const result: TestResult = {
    metric: spec.metric,
    method: spec.method,
    kind: 'anytime test',
    pValue,
    alpha: spec.alpha,
    eValue: process.eValue(),
    counts: process.counts(),
    minEffect: spec.minEffect,
    significant: pValue < spec.alpha,
  };
  if (spec.effect !== undefined) result.effect = spec.effect;
  return { result, fails: result.significant && spec.effect !== undefined && spec.effect >= spec.minEffect };
}
