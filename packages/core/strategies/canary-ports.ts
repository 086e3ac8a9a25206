import type { CanaryJudge, Decision, LookAnalysis } from '../canary/canary-judge.ts';
import type { MetricsSource } from '../canary/metrics-source.ts';
import type { ReleaseLabels } from '../deploy/release.ts';
import type { RunningRelease } from '../deploy/target.ts';
import type { DeployPorts } from './deploy-ports.ts';

/** The releases a canary's metrics are read for: the slots of a reading are their colours, and `baseline`. */
export interface CanaryPair {
  canary: ReleaseLabels;
  stable: ReleaseLabels;
  /** The baseline (a fresh container of stable, in the `baseline` slot), when one is asked for. */
  baseline?: ReleaseLabels;
}

/** What the action's own requests did in one step. */
export interface LoadReport {
  /** Requests sent, and of those: answered with any status, failed without an answer. */
  sent: number;
  answered: number;
  failed: number;
  /** Requests not sent because too many were still in flight: the service answers slower than the rate. */
  skipped: number;
}

/** Requests the action sends through the router while a step is observed, for services too quiet to judge. */
export interface TrafficLoad {
  /** e.g. `20/s GET http://127.0.0.1:8080/healthz`, for logs. */
  describe(): string;
  /** Starts sending at once; stop() ends it and waits for requests in flight. */
  start(): { stop(): Promise<LoadReport> };
}

/** How a canary is measured and judged; the door builds them from its inputs. */
export interface CanaryMeasuring {
  /** Opens the metrics source(s) for one canary, before its container starts: what fails here changes nothing. */
  openMetrics(pair: CanaryPair): Promise<MetricsSource>;
  /** A fresh judge for one canary. */
  createJudge(): CanaryJudge;
  /** The action's own requests during each step (the `load` input), when given. */
  load?: TrafficLoad;
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
  /** Run a baseline (a fresh container of stable) on this port and compare the canary with it. */
  baseline?: { port: number };
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
  /** What the canary was compared with: the baseline at the same weight, or stable itself. */
  comparedWith: 'stable' | 'baseline';
  /** The action's own requests in this step, when `load` was given. */
  load?: LoadReport;
}

export interface CanaryResult {
  outcome: CanaryOutcome;
  /** The release this run deployed (or, for promote and abort, found) as the canary. */
  canary?: RunningRelease;
  /** The release it was judged against, kept in the idle colour after a promotion. */
  stable?: RunningRelease;
  /** The baseline the canary was compared with; removed before the run ends, unless its traffic could not be moved. */
  baseline?: RunningRelease;
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
