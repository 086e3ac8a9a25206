import type { DevopsConfig } from '../../packages/core/config/index.ts';
import type { HealthCheckInputs, HealthPlan } from '../../packages/core/health/index.ts';
import type { InputReader } from '../../packages/runtime/input-reader.ts';
import type { InputName } from '../../packages/runtime/action-definition.ts';
import type { healthCheck } from './definition.ts';

/** The health-check inputs as given: they are checked (parseHealthPlan) before the configuration file is read. */
export function readHealthCheckInputs(inputs: InputReader<InputName<typeof healthCheck>>): HealthCheckInputs {
  return {
    targets: inputs.get('targets'),
    timeout: inputs.get('timeout'),
    interval: inputs.get('interval'),
    expectedStatus: inputs.get('expected-status'),
    bodyContains: inputs.get('body-contains'),
    requiredSuccesses: inputs.get('required-successes'),
    samples: inputs.get('samples'),
    requestTimeout: inputs.get('request-timeout'),
    maxLatencyP95: inputs.get('max-latency-p95'),
    minSuccessRate: inputs.get('min-success-rate'),
    // Opt-in: `docker stats` adds about 1.5s to every round of a container target.
    maxCpu: inputs.get('max-cpu'),
    maxMemory: inputs.get('max-memory'),
    prometheusUrl: inputs.get('prometheus-url'),
    prometheusQueries: inputs.get('prometheus-queries'),
    watch: inputs.get('watch'),
  };
}

/** The plan with the configuration file's response-time threshold (health_checks.thresholds.response_time) where max-latency-p95 was not given. */
export function withConfiguredLatency(plan: HealthPlan, config: DevopsConfig): HealthPlan {
  if (plan.criteria.maxLatencyP95Ms !== undefined) return plan;
  return { ...plan, criteria: { ...plan.criteria, maxLatencyP95Ms: config.health_checks.thresholds.response_time } };
}
