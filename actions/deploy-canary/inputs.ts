import type { JudgeSettings } from '../../packages/core/canary/canary-judge.ts';
import { DEFAULT_MIN_EFFECT, parseConfidence, parseMinEffect } from '../../packages/core/canary/judge-inputs.ts';
import { parseSteps, stepsFrom } from '../../packages/core/canary/traffic-steps.ts';
import { parseLoad, readBaselinePort } from '../../packages/core/canary/canary-extras-inputs.ts';
import type { DevopsConfig } from '../../packages/core/config/index.ts';
import { invalidValue } from '../../packages/core/errors.ts';
import { formatDuration, MAX_TIMER_MS, parseBoolean, parseDuration, parseEnum, parseInteger, parsePercentage } from '../../packages/core/inputs/index.ts';
import type { CanarySettings } from '../../packages/core/strategies/canary-deploy.ts';
import type { InputName } from '../../packages/runtime/action-definition.ts';
import type { ActionIO } from '../../packages/runtime/action-io.ts';
import type { InputReader } from '../../packages/runtime/input-reader.ts';
import { readReleasePlace, readServiceEnv } from '../deploy-context.ts';
import type { deployCanary } from './definition.ts';
import { checkMetricsPlan, type MetricsPlan } from './measuring.ts';

type Inputs = InputReader<InputName<typeof deployCanary>>;

export const CANARY_ACTIONS = ['start', 'promote', 'abort'] as const;
export type CanaryAction = (typeof CANARY_ACTIONS)[number];

/** A failed metrics read is retried at the next look; this many in a row fail the look. */
const MAX_FAILED_READS = 3;
const MIN_LOOK_INTERVAL_MS = 100;

export interface CanaryStartInputs {
  settings: CanarySettings;
  judge: JudgeSettings;
  metrics: MetricsPlan;
  /** The `load` input: the action's own requests to the router's front during each step. */
  load?: { rate: number; url: string };
}

/**
 * Every input of `action: start`, parsed and checked before anything is touched: a mistake fails the
 * run naming the input, the value and what is allowed, with no lock taken and no container started.
 */
export async function readCanaryStart(inputs: Inputs, config: DevopsConfig, io: ActionIO): Promise<CanaryStartInputs> {
  const tuning = config.devops_automator.deployment;
  const duration = (name: 'increment-interval' | 'health-timeout', fallbackMs: number): number =>
    inputs.given(name) ? parseDuration(name, inputs.get(name), { minMs: 1, maxMs: MAX_TIMER_MS }) : fallbackMs;
  const autoPromote = parseBoolean('auto-promote', inputs.get('auto-promote'));
  const stepIntervalMs = duration('increment-interval', tuning.canary.increment_interval);
  const lookIntervalMs = parseDuration('look-interval', inputs.get('look-interval'), { minMs: MIN_LOOK_INTERVAL_MS, maxMs: MAX_TIMER_MS });
  if (lookIntervalMs > stepIntervalMs) {
    throw invalidValue(
      'look-interval',
      inputs.get('look-interval'),
      `use at most increment-interval (${formatDuration(stepIntervalMs)}): every step needs a look`,
    );
  }
  const place = readReleasePlace(inputs, io);
  const steps = readSteps(inputs, config, autoPromote);
  const withBaseline = parseBoolean('baseline', inputs.get('baseline'));
  if (!withBaseline && inputs.given('baseline-port'))
    throw invalidValue('baseline-port', inputs.get('baseline-port'), 'it is used only with baseline: true; remove it or set baseline: true');
  const baseline = withBaseline
    ? { port: readBaselinePort(inputs.given('baseline-port') ? inputs.get('baseline-port') : undefined, place.ports, steps) }
    : undefined;
  const load = inputs.given('load') ? parseLoad('load', inputs.get('load')) : undefined;
  const settings: CanarySettings = {
    ...place,
    image: inputs.required('image'),
    env: await readServiceEnv(inputs.get('env'), inputs.get('env-file'), io),
    healthTimeoutMs: duration('health-timeout', tuning.blue_green.health_check_timeout),
    steps,
    stepIntervalMs,
    lookIntervalMs,
    maxFailedReads: MAX_FAILED_READS,
    onInconclusive: parseEnum('on-inconclusive', inputs.get('on-inconclusive'), ['abort', 'pause']),
    autoPromote,
    ...(baseline ? { baseline } : {}),
    ...(io.context.commit ? { commit: io.context.commit } : {}),
    ...(io.context.actor ? { actor: io.context.actor } : {}),
  };
  const successThreshold = inputs.given('success-threshold')
    ? parsePercentage('success-threshold', inputs.get('success-threshold'))
    : tuning.canary.success_threshold;
  const judge: JudgeSettings = {
    successThreshold: successThreshold / 100,
    ...(inputs.given('max-latency-p95') ? { maxLatencyP95Ms: parseDuration('max-latency-p95', inputs.get('max-latency-p95'), { minMs: 1 }) } : {}),
    confidence: parseConfidence('confidence', inputs.get('confidence')),
    minEffect: inputs.get('min-effect') ? parseMinEffect('min-effect', inputs.get('min-effect')) : DEFAULT_MIN_EFFECT,
    minRequests: parseInteger('min-requests', inputs.get('min-requests'), { min: 1 }),
  };
  return { settings, judge, metrics: readMetrics(inputs, withBaseline), ...(load ? { load } : {}) };
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

/** The `metrics` input and what it refers to, checked now; default `router` behind HAProxy. */
function readMetrics(inputs: Inputs, withBaseline: boolean): MetricsPlan {
  const router = inputs.required('router');
  const metrics = inputs.get('metrics') || (router === 'haproxy' ? 'router' : '');
  if (metrics === '')
    throw invalidValue('metrics', '', 'behind nginx give an access log in the sidhe_canary format (access-log:/var/log/nginx/sidhe-canary.log) or prometheus');
  const plan: MetricsPlan = {
    metrics,
    router,
    routerEndpoint: inputs.required('router-endpoint'),
    service: inputs.get('router-service') || `${inputs.required('app')}-${inputs.required('environment')}`,
    prometheusUrl: inputs.get('prometheus-url'),
    prometheusQueries: inputs.get('prometheus-queries'),
  };
  checkMetricsPlan(plan, withBaseline);
  return plan;
}
