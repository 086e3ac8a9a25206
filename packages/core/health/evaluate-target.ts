import { formatStatusRanges, statusAllowed } from '../inputs/index.ts';
import type { HealthCriteria } from './criteria.ts';
import { formatMs, formatPercent, percentiles, successRate, type Percentiles } from './percentiles.ts';
import { formatComparison, sampleValue, satisfies } from './prometheus-checks.ts';
import type { Observation, PrometheusSeries, Sample } from './prober.ts';
import type { HealthTarget } from './targets.ts';

/** A criterion a target missed in a round, with what was seen and what was needed. */
export interface Failure {
  target: string;
  /** The input that sets the criterion: max-latency-p95, min-success-rate, container-health, ... */
  criterion: string;
  observed: string;
  threshold: string;
  message: string;
}

/** One target's verdict for one round, with the observation it was judged on. */
export interface TargetRound {
  target: string;
  kind: HealthTarget['kind'];
  healthy: boolean;
  samples: number;
  succeeded: number;
  successRate: number | null;
  latency: Percentiles | null;
  failures: Failure[];
  /** Something the user should know that is not a failure. */
  note?: string;
  observation: Observation;
}

export function evaluateTarget(target: HealthTarget, observation: Observation, criteria: HealthCriteria): TargetRound {
  const judged = judge(target, observation, criteria);
  return {
    target: target.id,
    kind: target.kind,
    healthy: judged.failures.length === 0,
    samples: judged.samples,
    succeeded: judged.succeeded,
    successRate: successRate(judged.succeeded, judged.samples),
    latency: percentiles(latencies(observation)),
    failures: judged.failures,
    ...(judged.note ? { note: judged.note } : {}),
    observation,
  };
}

/** Latencies of the samples that got an answer, whatever its status. */
export function latencies(observation: Observation): number[] {
  return observation.kind === 'http' || observation.kind === 'tcp' ? answered(observation.samples) : [];
}

function answered(samples: readonly Sample[]): number[] {
  return samples.flatMap((s) => (s.error === undefined && s.latencyMs !== undefined ? [s.latencyMs] : []));
}

interface Judged {
  samples: number;
  succeeded: number;
  failures: Failure[];
  note?: string;
}

function judge(target: HealthTarget, observation: Observation, criteria: HealthCriteria): Judged {
  if (observation.kind === 'http' || observation.kind === 'tcp') return judgeSamples(target.id, observation.samples, criteria);
  if (observation.kind === 'container') return judgeContainer(target.id, observation, criteria);
  if (target.kind === 'prometheus') return judgePrometheus(target, observation);
  throw new Error(`a ${observation.kind} observation for ${target.kind} target ${target.id}`);
}

function judgeSamples(target: string, samples: readonly Sample[], criteria: HealthCriteria): Judged {
  const reasons = samples.map((sample) => sampleFailure(sample, criteria));
  const failed = reasons.filter((reason) => reason !== undefined);
  const succeeded = samples.length - failed.length;
  const failures: Failure[] = [];
  const rate = successRate(succeeded, samples.length) ?? 0;
  if (rate < criteria.minSuccessRate) {
    const observed = formatPercent(rate);
    const threshold = formatPercent(criteria.minSuccessRate);
    const detail = `${failed.length} of ${samples.length} samples failed; last: ${failed.at(-1) ?? 'no samples'}`;
    const message = `${target}: success rate ${observed} is below min-success-rate ${threshold} (${detail})`;
    failures.push({ target, criterion: 'min-success-rate', observed, threshold, message });
  }
  const p95 = percentiles(answered(samples))?.p95;
  if (criteria.maxLatencyP95Ms !== undefined && p95 !== undefined && p95 > criteria.maxLatencyP95Ms) {
    const observed = formatMs(p95);
    const threshold = formatMs(criteria.maxLatencyP95Ms);
    const message = `${target}: latency p95 ${observed} exceeds max-latency-p95 ${threshold}`;
    failures.push({ target, criterion: 'max-latency-p95', observed, threshold, message });
  }
  return { samples: samples.length, succeeded, failures };
}

function sampleFailure(sample: Sample, criteria: HealthCriteria): string | undefined {
  const reason = failureReason(sample, criteria);
  return reason !== undefined && sample.host !== undefined ? `${sample.host}: ${reason}` : reason;
}

function failureReason(sample: Sample, criteria: HealthCriteria): string | undefined {
  if (sample.error !== undefined) return sample.error;
  if (sample.status !== undefined && !statusAllowed(sample.status, criteria.expectedStatus)) {
    return `status ${sample.status} is outside expected-status ${formatStatusRanges(criteria.expectedStatus)}`;
  }
  if (sample.bodyMatched === false) return `body does not contain ${JSON.stringify(criteria.bodyContains)} (body-contains)`;
  return undefined;
}

function judgeContainer(target: string, observation: Observation & { kind: 'container' }, criteria: HealthCriteria): Judged {
  const failure = (criterion: string, observed: string, threshold: string, message: string): Judged => ({
    samples: 1,
    succeeded: 0,
    failures: [{ target, criterion, observed, threshold, message: `${target}: ${message}` }],
  });
  const { state } = observation;
  if (!state) return failure('container-health', 'unavailable', 'healthy', observation.error ?? 'no state reported');
  if (state.status !== 'running') {
    return failure('container-health', state.status, 'running', `container is ${state.status}, needs running`);
  }
  if (state.health !== undefined && state.health !== 'healthy') {
    const check = state.lastCheckOutput ? `; last check: ${state.lastCheckOutput}` : '';
    return failure('container-health', state.health, 'healthy', `health ${state.health}, needs healthy${check}`);
  }
  const failures = [
    resourceFailure(target, 'cpu', 'max-cpu', observation.resources?.cpuPercent, criteria.maxCpuPercent, observation.resourcesError),
    resourceFailure(target, 'memory', 'max-memory', observation.resources?.memoryPercent, criteria.maxMemoryPercent, observation.resourcesError),
  ].filter((f) => f !== undefined);
  const note = state.health === undefined ? 'the image has no HEALTHCHECK: running counts as healthy' : undefined;
  return { samples: 1, succeeded: 1, failures, ...(note ? { note } : {}) };
}

function resourceFailure(
  target: string,
  what: string,
  criterion: string,
  observed: number | undefined,
  max: number | undefined,
  error: string | undefined,
): Failure | undefined {
  if (max === undefined) return undefined;
  const threshold = formatPercent(max);
  if (observed === undefined) {
    const message = `${target}: ${what} unknown (${error ?? 'not reported'}), ${criterion} ${threshold}`;
    return { target, criterion, observed: 'unknown', threshold, message };
  }
  if (observed <= max) return undefined;
  const shown = formatPercent(observed);
  return { target, criterion, observed: shown, threshold, message: `${target}: ${what} ${shown} exceeds ${criterion} ${threshold}` };
}

function judgePrometheus(target: HealthTarget & { kind: 'prometheus' }, observation: Observation & { kind: 'prometheus' }): Judged {
  const threshold = formatComparison(target.comparison);
  const fail = (observed: string, message: string): Judged => ({
    samples: 1,
    succeeded: 0,
    failures: [{ target: target.id, criterion: 'prometheus-queries', observed, threshold, message: `${target.id}: ${message}` }],
  });
  if (observation.error !== undefined) return fail('error', observation.error);
  const series = observation.series ?? [];
  if (series.length === 0) return fail('no data', 'the query returned no data (prometheus-queries)');
  const failing = series.filter((s) => !satisfies(sampleValue(s.value), target.comparison));
  if (failing.length === 0) return { samples: 1, succeeded: 1, failures: [] };
  const shown = failing.slice(0, 3).map(describeSeries).join(', ');
  const more = failing.length > 3 ? ` and ${failing.length - 3} more` : '';
  return fail(failing[0]!.value, `observed ${shown}${more} (prometheus-queries)`);
}

function describeSeries(series: PrometheusSeries): string {
  const labels = Object.entries(series.labels)
    .filter(([name]) => name !== '__name__')
    .map(([name, value]) => `${name}=${JSON.stringify(value)}`);
  return labels.length === 0 ? series.value : `${series.value} for {${labels.join(',')}}`;
}
