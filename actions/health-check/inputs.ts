import type { DevopsConfig } from '../../packages/core/config/index.ts';
import type { HealthCheckInputs } from '../../packages/core/health/index.ts';
import { formatDuration } from '../../packages/core/inputs/index.ts';
import type { InputReader } from '../../packages/runtime/input-reader.ts';
import type { InputName } from '../../packages/runtime/action-definition.ts';
import type { healthCheck } from './definition.ts';

/**
 * The health-check inputs, with the configuration file's thresholds (health_checks.thresholds)
 * where an input was not given: inputs override the file.
 */
export function readHealthCheckInputs(inputs: InputReader<InputName<typeof healthCheck>>, config: DevopsConfig): HealthCheckInputs {
  const thresholds = config.health_checks.thresholds;
  return {
    targets: inputs.get('targets'),
    timeout: inputs.get('timeout'),
    interval: inputs.get('interval'),
    expectedStatus: inputs.get('expected-status'),
    bodyContains: inputs.get('body-contains'),
    requiredSuccesses: inputs.get('required-successes'),
    samples: inputs.get('samples'),
    requestTimeout: inputs.get('request-timeout'),
    maxLatencyP95: inputs.get('max-latency-p95') || formatDuration(thresholds.response_time),
    minSuccessRate: inputs.get('min-success-rate'),
    maxCpu: inputs.get('max-cpu') || String(thresholds.cpu_usage),
    maxMemory: inputs.get('max-memory') || String(thresholds.memory_usage),
    prometheusUrl: inputs.get('prometheus-url'),
    prometheusQueries: inputs.get('prometheus-queries'),
  };
}
