import type { JudgeSettings } from '../../packages/core/canary/canary-judge.ts';
import { DEFAULT_MIN_EFFECT, parseConfidence, parseMinEffect } from '../../packages/core/canary/judge-inputs.ts';
import { parseSteps, stepsFrom } from '../../packages/core/canary/traffic-steps.ts';
import type { DevopsConfig } from '../../packages/core/config/index.ts';
import { invalidValue } from '../../packages/core/errors.ts';
import { formatDuration, parseBoolean, parseDuration, parseEnum, parseInteger, parseList, parsePercentage } from '../../packages/core/inputs/index.ts';
import type { CanarySettings } from '../../packages/core/strategies/canary-deploy.ts';
import type { InputName } from '../../packages/runtime/action-definition.ts';
import type { ActionIO } from '../../packages/runtime/action-io.ts';
import type { InputReader } from '../../packages/runtime/input-reader.ts';
import { readReleasePlace, readServiceEnv } from '../deploy-context.ts';
import type { deployCanary } from './definition.ts';

type Inputs = InputReader<InputName<typeof deployCanary>>;

export const CANARY_ACTIONS = ['start', 'promote', 'abort'] as const;
export type CanaryAction = (typeof CANARY_ACTIONS)[number];

/** Where a canary's per-version counts are read. */
export type MetricsChoice = { kind: 'router' } | { kind: 'access-log'; path: string } | { kind: 'prometheus'; url: string; queries: string[] };

/** A failed metrics read is retried at the next look; this many in a row fail the look. */
const MAX_FAILED_READS = 3;
const MIN_LOOK_INTERVAL_MS = 100;

export interface CanaryStartInputs {
  settings: CanarySettings;
  judge: JudgeSettings;
  metrics: MetricsChoice[];
}

/**
 * Every input of `action: start`, parsed and checked before anything is touched: a mistake fails the
 * run naming the input, the value and what is allowed, with no lock taken and no container started.
 */
export async function readCanaryStart(inputs: Inputs, config: DevopsConfig, io: ActionIO): Promise<CanaryStartInputs> {
  const tuning = config.devops_automator.deployment;
  const duration = (name: 'increment-interval' | 'health-timeout', fallbackMs: number): number =>
    inputs.given(name) ? parseDuration(name, inputs.get(name)) : fallbackMs;
  const autoPromote = parseBoolean('auto-promote', inputs.get('auto-promote'));
  const stepIntervalMs = duration('increment-interval', tuning.canary.increment_interval);
  const lookIntervalMs = parseDuration('look-interval', inputs.get('look-interval'));
  if (stepIntervalMs <= 0) throw invalidValue('increment-interval', inputs.get('increment-interval'), 'use a duration above zero, e.g. 60s');
  if (lookIntervalMs < MIN_LOOK_INTERVAL_MS || lookIntervalMs > stepIntervalMs) {
    throw invalidValue('look-interval', inputs.get('look-interval'), `use a duration from ${MIN_LOOK_INTERVAL_MS}ms up to increment-interval (${formatDuration(stepIntervalMs)})`);
  }
  const settings: CanarySettings = {
    ...readReleasePlace(inputs, io),
    image: inputs.required('image'),
    env: await readServiceEnv(inputs.get('env'), inputs.get('env-file'), io),
    healthTimeoutMs: duration('health-timeout', tuning.blue_green.health_check_timeout),
    steps: readSteps(inputs, config, autoPromote),
    stepIntervalMs,
    lookIntervalMs,
    maxFailedReads: MAX_FAILED_READS,
    onInconclusive: parseEnum('on-inconclusive', inputs.get('on-inconclusive'), ['abort', 'pause']),
    autoPromote,
    ...(io.context.commit ? { commit: io.context.commit } : {}),
    ...(io.context.actor ? { actor: io.context.actor } : {}),
  };
  const successThreshold = inputs.given('success-threshold') ? parsePercentage('success-threshold', inputs.get('success-threshold')) : tuning.canary.success_threshold;
  const judge: JudgeSettings = {
    successThreshold: successThreshold / 100,
    ...(inputs.given('max-latency-p95') ? { maxLatencyP95Ms: parseDuration('max-latency-p95', inputs.get('max-latency-p95')) } : {}),
    confidence: parseConfidence('confidence', inputs.get('confidence')),
    minEffect: inputs.get('min-effect') ? parseMinEffect('min-effect', inputs.get('min-effect')) : DEFAULT_MIN_EFFECT,
    minRequests: parseInteger('min-requests', inputs.get('min-requests'), { min: 1 }),
  };
  return { settings, judge, metrics: readMetrics(inputs) };
}

/** `steps` when given, else initial-traffic and increment (inputs, else the configuration). */
function readSteps(inputs: Inputs, config: DevopsConfig, autoPromote: boolean): number[] {
  if (inputs.given('steps')) return parseSteps('steps', inputs.get('steps'), { autoPromote });
  const tuning = config.devops_automator.deployment.canary;
  const share = (name: 'initial-traffic' | 'increment', fallback: number): number => {
    if (!inputs.given(name)) return fallback;
    const value = parsePercentage(name, inputs.get(name));
    if (value < 1 || !Number.isInteger(value)) throw invalidValue(name, inputs.get(name), 'use a whole percentage from 1 to 100, e.g. 10%');
    return value;
  };
  return stepsFrom(share('initial-traffic', tuning.initial_traffic), share('increment', tuning.increment_percentage));
}

/** `metrics`: `router`, `access-log:<path>`, `prometheus`, one or more; `router` by default behind HAProxy. */
function readMetrics(inputs: Inputs): MetricsChoice[] {
  const router = inputs.required('router');
  const raw = inputs.get('metrics') || (router === 'haproxy' ? 'router' : '');
  const allowed = 'use one or more of: router (HAProxy only), access-log:<path>, prometheus';
  if (raw === '') throw invalidValue('metrics', raw, `behind nginx give an access log (access-log:/var/log/nginx/shop.json) or prometheus; ${allowed}`);
  return parseList(raw).map((item): MetricsChoice => {
    if (item === 'router') {
      if (router !== 'haproxy') throw invalidValue('metrics', raw, `router counters are HAProxy's (router is ${router}); ${allowed}`);
      return { kind: 'router' };
    }
    if (item.startsWith('access-log:') && item.length > 'access-log:'.length) return { kind: 'access-log', path: item.slice('access-log:'.length) };
    if (item === 'prometheus') {
      const url = inputs.get('prometheus-url');
      const queries = parseList(inputs.get('prometheus-queries'), { commas: false });
      if (!url) throw invalidValue('prometheus-url', url, 'give the Prometheus server for metrics: prometheus, e.g. http://prometheus:9090');
      if (queries.length === 0) throw invalidValue('prometheus-queries', '', 'give one PromQL query a line, with {{version}}, {{colour}} or {{release}} filled in for canary and stable');
      return { kind: 'prometheus', url, queries };
    }
    throw invalidValue('metrics', raw, `${JSON.stringify(item)} is not a metrics source; ${allowed}`);
  });
}
