import { quantileSorted } from '../quantile-sorted.ts';
import { ConfigurationError } from '../errors.ts';
import type { DeploymentRecord } from './deployment-record.ts';

export type DoraLevel = 'elite' | 'high' | 'medium' | 'low';

/** A duration metric over its samples; the statistics and the level are null when there are none. */
export interface DurationMetric {
  count: number;
  medianMs: number | null;
  p90Ms: number | null;
  maxMs: number | null;
  /** Judged on the median. */
  level: DoraLevel | null;
}

/** The four DORA metrics of one environment, or of all of them (`environment: 'all'`). Plain JSON. */
export interface EnvironmentMetrics {
  environment: string;
  /** Finished deploys, whatever the outcome. */
  deploys: number;
  succeeded: number;
  switchedBack: number;
  refused: number;
  /** Deploys and rollbacks not finished (still running, or their run died). */
  inProgress: number;
  /** Succeeded rollbacks. */
  rollbacks: number;
  deploymentFrequency: {
    count: number;
    perDay: number;
    level: DoraLevel;
    /** Every UTC day the window touches, oldest first, zeros included. */
    daily: { day: string; count: number }[];
  };
  changeFailureRate: {
    failures: number;
    reachedTraffic: number;
    /** Percent, 0–100; null when nothing reached traffic. */
    rate: number | null;
    level: DoraLevel | null;
  };
  timeToRestore: DurationMetric;
  leadTime: DurationMetric;
}

export interface DoraReport {
  /** The window, ISO 8601. */
  since: string;
  until: string;
  days: number;
  /** Sorted by environment name. */
  environments: EnvironmentMetrics[];
  all: EnvironmentMetrics;
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

// Thresholds from the DORA 2023 Accelerate State of DevOps report (performance clusters).
/** DORA 2023: elite deploys on demand, at least once a day. */
export const FREQUENCY_ELITE_PER_DAY = 1;
/** DORA 2023: high deploys between once a day and once a week. */
export const FREQUENCY_HIGH_PER_DAY = 1 / 7;
/** DORA 2023: medium deploys between once a week and once a month. */
export const FREQUENCY_MEDIUM_PER_DAY = 1 / 30;
/** DORA 2023: lead time elite under a day, high under a week, medium under a month. */
export const LEAD_TIME_ELITE_MS = DAY_MS;
export const LEAD_TIME_HIGH_MS = 7 * DAY_MS;
export const LEAD_TIME_MEDIUM_MS = 30 * DAY_MS;
/** DORA 2023: time to restore elite under an hour, high under a day, medium under a week. */
export const RESTORE_ELITE_MS = HOUR_MS;
export const RESTORE_HIGH_MS = DAY_MS;
export const RESTORE_MEDIUM_MS = 7 * DAY_MS;
/** DORA 2023: change failure rate elite at most 5%, high at most 10%, medium at most 15%. */
export const FAILURE_RATE_ELITE_PERCENT = 5;
export const FAILURE_RATE_HIGH_PERCENT = 10;
export const FAILURE_RATE_MEDIUM_PERCENT = 15;

export function frequencyLevel(perDay: number): DoraLevel {
  if (perDay >= FREQUENCY_ELITE_PER_DAY) return 'elite';
  if (perDay >= FREQUENCY_HIGH_PER_DAY) return 'high';
  return perDay >= FREQUENCY_MEDIUM_PER_DAY ? 'medium' : 'low';
}

export function leadTimeLevel(ms: number): DoraLevel {
  if (ms < LEAD_TIME_ELITE_MS) return 'elite';
  if (ms < LEAD_TIME_HIGH_MS) return 'high';
  return ms < LEAD_TIME_MEDIUM_MS ? 'medium' : 'low';
}

export function restoreLevel(ms: number): DoraLevel {
  if (ms < RESTORE_ELITE_MS) return 'elite';
  if (ms < RESTORE_HIGH_MS) return 'high';
  return ms < RESTORE_MEDIUM_MS ? 'medium' : 'low';
}

export function failureRateLevel(percent: number): DoraLevel {
  if (percent <= FAILURE_RATE_ELITE_PERCENT) return 'elite';
  if (percent <= FAILURE_RATE_HIGH_PERCENT) return 'high';
  return percent <= FAILURE_RATE_MEDIUM_PERCENT ? 'medium' : 'low';
}

type Window = { since: number; until: number };

/**
 * The DORA metrics of the records that started in [since, until], per environment and for all.
 * The records may come in any order.
 *
 * - Deployment frequency: succeeded deploys, in total and per day of the window
 *   ((until − since) / 24h); the daily series counts them by the UTC day they started.
 * - Change failure rate: change failures / deploys that reached traffic (succeeded or switched
 *   back), in percent. A change failure is a switched-back deploy, or a succeeded deploy rolled
 *   back: a succeeded rollback in the same environment (and app, when both name one) started after
 *   the deploy finished and before the next succeeded deploy there; a deploy counts once however
 *   many rollbacks follow it. Refused deploys never reached traffic: counted apart, never failures.
 * - Time to restore: per change failure, from when the failed release took traffic (switchedAt,
 *   else the deploy's finishedAt) to when a healthy release had it back (a switched-back deploy's
 *   own finishedAt, or the first rollback's finishedAt). Failures missing those times are left out.
 * - Lead time for changes: per succeeded deploy with both times, finishedAt − committedAt.
 * In-progress records count only as `inProgress`. Rollbacks and "next deploys" outside the window
 * are not seen, like everything else outside it.
 */
export function computeDoraMetrics(records: readonly DeploymentRecord[], window: Window): DoraReport {
  const { since, until } = window;
  if (!Number.isFinite(since) || !Number.isFinite(until) || until <= since) {
    throw new ConfigurationError(`metrics window: until (${until}) must be a time after since (${since})`);
  }
  const inWindow = records.filter((r) => r.startedAt >= since && r.startedAt <= until).sort((a, b) => a.startedAt - b.startedAt || byText(a.id, b.id));
  const names = [...new Set(inWindow.map((r) => r.environment))].sort(byText);
  return {
    since: new Date(since).toISOString(),
    until: new Date(until).toISOString(),
    days: (until - since) / DAY_MS,
    environments: names.map((name) =>
      metricsOf(
        name,
        inWindow.filter((r) => r.environment === name),
        window,
      ),
    ),
    all: metricsOf('all', inWindow, window),
  };
}

/** Code-unit order, the same on every machine (localeCompare is not). */
function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Metrics of records sorted by startedAt. Matching stays within an environment, so `all` is the union. */
function metricsOf(environment: string, records: readonly DeploymentRecord[], window: Window): EnvironmentMetrics {
  const deploys = records.filter((r) => r.kind === 'deploy');
  const succeeded = deploys.filter((r) => r.outcome === 'succeeded');
  const rollbacks = records.filter((r) => r.kind === 'rollback' && r.outcome === 'succeeded');
  const switchedBack = deploys.filter((r) => r.outcome === 'switched_back');

  const restores: number[] = [];
  for (const deploy of switchedBack) {
    if (deploy.switchedAt !== undefined && deploy.finishedAt !== undefined) restores.push(deploy.finishedAt - deploy.switchedAt);
  }
  const undone = rolledBack(succeeded, rollbacks);
  for (const [deploy, rollback] of undone) {
    const tookTraffic = deploy.switchedAt ?? deploy.finishedAt;
    if (tookTraffic !== undefined && rollback.finishedAt !== undefined) restores.push(rollback.finishedAt - tookTraffic);
  }

  const failures = switchedBack.length + undone.size;
  const reachedTraffic = succeeded.length + switchedBack.length;
  const rate = reachedTraffic === 0 ? null : (failures / reachedTraffic) * 100;
  const perDay = succeeded.length / ((window.until - window.since) / DAY_MS);
  const leadTimes = succeeded.flatMap((r) => (r.committedAt !== undefined && r.finishedAt !== undefined ? [r.finishedAt - r.committedAt] : []));
  return {
    environment,
    deploys: deploys.filter((r) => r.outcome !== 'in_progress').length,
    succeeded: succeeded.length,
    switchedBack: switchedBack.length,
    refused: deploys.filter((r) => r.outcome === 'refused').length,
    inProgress: records.filter((r) => r.outcome === 'in_progress').length,
    rollbacks: rollbacks.length,
    deploymentFrequency: { count: succeeded.length, perDay, level: frequencyLevel(perDay), daily: daily(succeeded, window) },
    changeFailureRate: { failures, reachedTraffic, rate, level: rate === null ? null : failureRateLevel(rate) },
    timeToRestore: durationMetric(restores, restoreLevel),
    leadTime: durationMetric(leadTimes, leadTimeLevel),
  };
}

/** Whether two records are about the same service: same environment, and same app when both name one. */
function sameService(a: DeploymentRecord, b: DeploymentRecord): boolean {
  return a.environment === b.environment && (a.app === undefined || b.app === undefined || a.app === b.app);
}

/**
 * The succeeded deploys that were rolled back, each with the first rollback that undid it. A rollback
 * undoes the latest succeeded deploy of its service that started before it, if that one had
 * finished: so it lands after the deploy finished and before the next succeeded deploy, and never
 * counts against two deploys. Both lists are sorted by startedAt.
 */
function rolledBack(succeeded: readonly DeploymentRecord[], rollbacks: readonly DeploymentRecord[]): Map<DeploymentRecord, DeploymentRecord> {
  const undone = new Map<DeploymentRecord, DeploymentRecord>();
  for (const rollback of rollbacks) {
    const deploy = succeeded.findLast((d) => d.startedAt <= rollback.startedAt && sameService(d, rollback));
    if (deploy && (deploy.finishedAt ?? deploy.startedAt) < rollback.startedAt && !undone.has(deploy)) undone.set(deploy, rollback);
  }
  return undone;
}

/** Succeeded deploys by the UTC day they started, one entry a day from since's day to until's. */
function daily(succeeded: readonly DeploymentRecord[], window: Window): { day: string; count: number }[] {
  const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const counts = new Map<string, number>();
  for (const r of succeeded) counts.set(dayOf(r.startedAt), (counts.get(dayOf(r.startedAt)) ?? 0) + 1);
  const series: { day: string; count: number }[] = [];
  for (let t = Math.floor(window.since / DAY_MS) * DAY_MS; t <= window.until; t += DAY_MS) {
    series.push({ day: dayOf(t), count: counts.get(dayOf(t)) ?? 0 });
  }
  return series;
}

function durationMetric(values: readonly number[], level: (ms: number) => DoraLevel): DurationMetric {
  if (values.length === 0) return { count: 0, medianMs: null, p90Ms: null, maxMs: null, level: null };
  const sorted = [...values].sort((a, b) => a - b);
  const medianMs = quantileSorted(sorted, 0.5);
  return { count: sorted.length, medianMs, p90Ms: quantileSorted(sorted, 0.9), maxMs: sorted[sorted.length - 1]!, level: level(medianMs) };
}
