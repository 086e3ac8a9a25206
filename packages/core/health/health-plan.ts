import { invalidValue } from '../errors.ts';
import { MAX_TIMER_MS, parseBoolean, parseDuration, parseInteger, parsePercentage, parseStatusRanges } from '../inputs/index.ts';
import { DEFAULT_CRITERIA, DEFAULT_SESSION, type HealthCriteria, type SessionSettings } from './criteria.ts';
import { parsePrometheusChecks } from './prometheus-checks.ts';
import { parseTargets, type HealthTarget } from './targets.ts';

/**
 * The health-check inputs as the runner gives them: strings, empty when not set. Keys are the
 * public input names in camelCase (`max-latency-p95` → `maxLatencyP95`).
 */
export interface HealthCheckInputs {
  targets?: string;
  timeout?: string;
  interval?: string;
  expectedStatus?: string;
  bodyContains?: string;
  requiredSuccesses?: string;
  samples?: string;
  maxLatencyP95?: string;
  minSuccessRate?: string;
  maxCpu?: string;
  maxMemory?: string;
  requestTimeout?: string;
  prometheusUrl?: string;
  prometheusQueries?: string;
  watch?: string;
}

/** Everything a health session needs, parsed and defaulted. */
export interface HealthPlan {
  targets: HealthTarget[];
  criteria: HealthCriteria;
  session: SessionSettings;
}

export function parseHealthPlan(inputs: HealthCheckInputs): HealthPlan {
  const targets = [...parseTargets(inputs.targets ?? ''), ...parsePrometheusChecks(inputs.prometheusUrl ?? '', inputs.prometheusQueries ?? '')];
  if (targets.length === 0) {
    throw invalidValue(
      'targets',
      inputs.targets ?? '',
      'list at least one target (or give prometheus-queries): http(s)://host[:port]/path, tcp://host:port or container://<name>, one a line',
    );
  }
  return { targets, criteria: parseCriteria(inputs), session: parseSession(inputs) };
}

function parseCriteria(inputs: HealthCheckInputs): HealthCriteria {
  const criteria: HealthCriteria = {
    expectedStatus: given(inputs.expectedStatus) ? parseStatusRanges('expected-status', inputs.expectedStatus) : DEFAULT_CRITERIA.expectedStatus,
    samples: given(inputs.samples) ? parseInteger('samples', inputs.samples, { min: 1, max: 100 }) : DEFAULT_CRITERIA.samples,
    minSuccessRate: given(inputs.minSuccessRate) ? parsePercentage('min-success-rate', inputs.minSuccessRate) : DEFAULT_CRITERIA.minSuccessRate,
  };
  if (given(inputs.bodyContains)) criteria.bodyContains = inputs.bodyContains;
  if (given(inputs.maxLatencyP95)) criteria.maxLatencyP95Ms = parseDuration('max-latency-p95', inputs.maxLatencyP95);
  if (given(inputs.maxCpu)) criteria.maxCpuPercent = parsePercentage('max-cpu', inputs.maxCpu);
  if (given(inputs.maxMemory)) criteria.maxMemoryPercent = parsePercentage('max-memory', inputs.maxMemory);
  return criteria;
}

function parseSession(inputs: HealthCheckInputs): SessionSettings {
  const timeoutMs = given(inputs.timeout) ? positiveDuration('timeout', inputs.timeout) : DEFAULT_SESSION.timeoutMs;
  return {
    timeoutMs,
    intervalMs: given(inputs.interval) ? parseDuration('interval', inputs.interval, { maxMs: MAX_TIMER_MS }) : DEFAULT_SESSION.intervalMs,
    requiredSuccesses: given(inputs.requiredSuccesses)
      ? parseInteger('required-successes', inputs.requiredSuccesses, { min: 1 })
      : DEFAULT_SESSION.requiredSuccesses,
    requestTimeoutMs: given(inputs.requestTimeout)
      ? positiveDuration('request-timeout', inputs.requestTimeout)
      : Math.min(DEFAULT_SESSION.requestTimeoutMs, timeoutMs),
    ...(given(inputs.watch) && parseBoolean('watch', inputs.watch) ? { watch: true } : {}),
  };
}

/** A duration the session waits for: above zero, and short enough for a timer. */
function positiveDuration(what: string, raw: string): number {
  return parseDuration(what, raw, { minMs: 1, maxMs: MAX_TIMER_MS });
}

function given(raw: string | undefined): raw is string {
  return raw !== undefined && raw.trim() !== '';
}
