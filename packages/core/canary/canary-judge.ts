import type { VersionWindow } from './metrics-source.ts';

/**
 * The canary judge's contract. The strategy hands it every look (what canary and stable, or the
 * baseline, answered since the previous look); the judge keeps its own running state and says, at
 * each look, whether the canary fails, passes so far, or cannot be judged yet.
 */
export interface JudgeSettings {
  /** Lowest canary success rate in a step, 0..1 (0.995 for 99.5%). */
  successThreshold: number;
  /** Highest canary p95 latency in ms; undefined for no such gate. */
  maxLatencyP95Ms?: number;
  /** 1 - the false-abort budget of the whole canary, 0..1 (0.99). */
  confidence: number;
  /** The smallest differences that may abort: error rate in points (0.005 = +0.5), latency as a ratio (0.2 = +20%). */
  minEffect: { errorRate: number; latencyRatio: number };
  /** Requests each version needs in a step before any verdict. */
  minRequests: number;
  /**
   * Consecutive looks a summary-only latency difference (no per-request samples) must last before it
   * fails the canary; 3 when unset. Unused when the source gives samples.
   */
  persistLooks?: number;
}

export interface Look {
  atMs: number;
  canary: VersionWindow;
  /** The stable release, or the baseline (a fresh container of it) when one runs. */
  stable: VersionWindow;
}

export type Decision = 'pass' | 'fail' | 'inconclusive';

export interface Verdict {
  decision: Decision;
  /** For people: what failed with its numbers, or why the judge waits. Empty on a pass. */
  reasons: string[];
  /** Everything behind the verdict, written as JSON to the action's analysis file. */
  analysis: LookAnalysis;
}

/** Cumulative figures of one version over the current step. */
export interface VersionFigures {
  requests: number;
  errors: number;
  /** errors / requests; undefined with no requests. */
  errorRate?: number;
  p50Ms?: number;
  p95Ms?: number;
  p99Ms?: number;
  meanMs?: number;
}

/** One statistical comparison at one look. */
export interface TestResult {
  /** e.g. `error rate`, `latency p95`. */
  metric: string;
  /** What the test is (e.g. `mixture SPRT on error counts`). */
  method: string;
  /**
   * `anytime test`: pValue is anytime-valid and spends `alpha` of the false-abort budget.
   * `threshold`: a fixed rule on summaries (no distribution to test), pValue is 1 and alpha 0.
   */
  kind: 'anytime test' | 'threshold';
  /** Anytime-valid p-value (1 / running maximum of the e-value), 0..1. */
  pValue: number;
  /** The e-value now (evidence against "canary no worse" gathered since the canary started). */
  eValue?: number;
  /**
   * What the count test counted since the canary started: the canary's share of the events (errors,
   * or requests slower than the pooled quantile of their look) and the share its traffic explains.
   */
  counts?: { canary: number; total: number; expectedCanary: number };
  /** For a threshold: consecutive looks the difference has lasted, of `persistLooks` needed. */
  consecutiveLooks?: number;
  /** The level it is compared with: its share of the false-abort budget. */
  alpha: number;
  /** Observed canary − stable difference (points for rates, ratio − 1 for latency). */
  effect?: number;
  minEffect: number;
  significant: boolean;
}

/** A fixed limit on the canary alone (success rate, p95 latency) in the current step. */
export interface GateResult {
  gate: 'success rate' | 'latency p95';
  /** Success rate 0..1, or ms; undefined when the source does not measure it. */
  observed?: number;
  limit: number;
  passed: boolean;
}

export interface LookAnalysis {
  atMs: number;
  step: number;
  canaryWeight: number;
  canary: VersionFigures;
  stable: VersionFigures;
  /** `samples`: quantiles from a per-step histogram (±0.5%); `summary`: the source's latest summary. */
  latencySource: 'samples' | 'summary' | 'none';
  gates: GateResult[];
  tests: TestResult[];
  decision: Decision;
  reasons: string[];
}

export interface CanaryJudge {
  /**
   * A new traffic step starts (0-based index, canary weight in %): step figures and absolute gates
   * restart. `against` names what the look's `stable` window is, for the reasons: `stable` or `baseline`.
   */
  beginStep(step: number, canaryWeight: number, against?: 'stable' | 'baseline'): void;
  look(look: Look): Verdict;
}
