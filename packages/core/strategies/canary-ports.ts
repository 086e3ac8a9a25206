import type { CanaryJudge, Decision, LookAnalysis } from '../canary/canary-judge.ts';
import type { MetricsSource } from '../canary/metrics-source.ts';
import type { ReleaseLabels } from '../deploy/release.ts';
import type { RunningRelease } from '../deploy/target.ts';
import type { DeployPorts } from './deploy-ports.ts';

/** The two releases a canary's metrics are read for: the slots of a reading are their colours. */
export interface CanaryPair {
  canary: ReleaseLabels;
  stable: ReleaseLabels;
}

/** How a canary is measured and judged; the door builds them from its inputs. */
export interface CanaryMeasuring {
  /** Opens the metrics source(s) for one canary, before its container starts: what fails here changes nothing. */
  openMetrics(pair: CanaryPair): Promise<MetricsSource>;
  /** A fresh judge for one canary. */
  createJudge(): CanaryJudge;
}

export type CanaryPorts = DeployPorts & { measuring: CanaryMeasuring };

/** How traffic moves to a canary, and when its steps end. */
export interface CanaryPlan {
  /** The canary's weight at each step in %, increasing; with autoPromote the last is 100. */
  steps: number[];
  /** How long each step is observed before it may pass. */
  stepIntervalMs: number;
  /** Time between two looks (metrics reads handed to the judge). */
  lookIntervalMs: number;
  /** Metrics reads that may fail in a row before the look fails and the canary is aborted. */
  maxFailedReads: number;
  /** What a step that ends without a verdict does. */
  onInconclusive: 'abort' | 'pause';
  /** Go on to 100% by itself; false pauses after the last step below 100. */
  autoPromote: boolean;
}

export type CanaryOutcome = 'promoted' | 'aborted' | 'paused';

/** One traffic step as it went. */
export interface CanaryStep {
  /** 0-based. */
  index: number;
  weight: number;
  startedAtMs: number;
  endedAtMs: number;
  /** The step's last verdict (`fail` also for failed metrics reads), or `pending` when it ended before any look. */
  decision: Decision | 'pending';
  reasons: string[];
  looks: number;
  /** The judge's analysis at the step's last look: the step's cumulative figures. */
  last?: LookAnalysis;
}

export interface CanaryResult {
  outcome: CanaryOutcome;
  /** The release this run deployed (or, for promote and abort, found) as the canary. */
  canary?: RunningRelease;
  /** The release it was judged against, kept in the idle colour after a promotion. */
  stable?: RunningRelease;
  /** The canary's share of traffic when the run ends, in %. */
  canaryWeight: number;
  /** Why it aborted or paused, for people; empty when promoted. */
  reasons: string[];
  steps: CanaryStep[];
  /** Every look's analysis, in order. */
  analyses: LookAnalysis[];
  /** The canary's weight each time it changed, for the chart. */
  weights: { atMs: number; weight: number }[];
  durationMs: number;
  /** The image already served all traffic: nothing was deployed. */
  unchanged?: boolean;
}
