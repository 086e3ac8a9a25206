import type { HealthCriteria, SessionSettings } from './criteria.ts';
import { latencies, type Failure, type TargetRound } from './evaluate-target.ts';
import { percentiles, successRate, type Percentiles } from './percentiles.ts';
import type { HealthTarget } from './targets.ts';

export interface RoundResult {
  /** 1-based. */
  index: number;
  /** Since the session started. */
  startedAtMs: number;
  durationMs: number;
  healthy: boolean;
  /** Healthy rounds in a row, this one included. */
  streak: number;
  successRate: number | null;
  latency: Percentiles | null;
  targets: TargetRound[];
}

export type RoundFailure = Failure & { round: number };

export interface TargetSummary {
  target: string;
  kind: HealthTarget['kind'];
  successRate: number | null;
  latency: Percentiles | null;
  roundsHealthy: number;
  roundsTotal: number;
  lastFailure?: RoundFailure;
}

export interface Totals {
  samples: number;
  successRate: number | null;
  latency: Percentiles | null;
}

/** A session's outcome and evidence. Plain data: the door writes it as the JSON report, as is. */
export interface HealthReport {
  healthy: boolean;
  /** One line for the log or the step's failure: on failure it names target, criterion, observed value and threshold. */
  message: string;
  startedAt: string;
  durationMs: number;
  session: SessionSettings;
  criteria: HealthCriteria;
  rounds: RoundResult[];
  targets: TargetSummary[];
  overall: Totals;
  /** The failures of the last round that had any; a round the deadline cut short counts only when no other failed. */
  lastFailures: RoundFailure[];
}

export function totals(targetRounds: readonly TargetRound[]): Totals {
  const samples = targetRounds.reduce((sum, t) => sum + t.samples, 0);
  const succeeded = targetRounds.reduce((sum, t) => sum + t.succeeded, 0);
  return {
    samples,
    successRate: successRate(succeeded, samples),
    latency: percentiles(targetRounds.flatMap((t) => latencies(t.observation))),
  };
}

export function summariseTargets(targets: readonly HealthTarget[], rounds: readonly RoundResult[]): TargetSummary[] {
  return targets.map((target, i) => {
    const history = rounds.map((round) => round.targets[i]!);
    const { successRate: rate, latency } = totals(history);
    const summary: TargetSummary = {
      target: target.id,
      kind: target.kind,
      successRate: rate,
      latency,
      roundsHealthy: history.filter((t) => t.healthy).length,
      roundsTotal: history.length,
    };
    const failing = rounds.findLast((round) => !round.targets[i]!.healthy);
    if (failing) summary.lastFailure = { ...failing.targets[i]!.failures[0]!, round: failing.index };
    return summary;
  });
}
