import { describe, expect, it } from 'vitest';
import { parseHealthPlan, type HealthCheckInputs } from './health-plan.ts';

describe('parseHealthPlan', () => {
  it('applies the documented defaults to inputs left empty', () => {
    const plan = parseHealthPlan({ targets: 'http://127.0.0.1:8080/health', timeout: '', bodyContains: '' });
    expect(plan.criteria).toEqual({ expectedStatus: [{ min: 200, max: 399 }], samples: 5, minSuccessRate: 100 });
    expect(plan.session).toEqual({ timeoutMs: 300_000, intervalMs: 5_000, requiredSuccesses: 3, requestTimeoutMs: 10_000 });
  });

  it('reads every criterion and setting', () => {
    const plan = parseHealthPlan({
      targets: 'container://web',
      timeout: '2s',
      interval: '100ms',
      expectedStatus: '200,204',
      bodyContains: 'ok',
      requiredSuccesses: '2',
      samples: '3',
      maxLatencyP95: '1.5s',
      minSuccessRate: '99.5%',
      maxCpu: '80%',
      maxMemory: '85',
      prometheusUrl: 'http://127.0.0.1:19090',
      prometheusQueries: 'up == 1',
    });
    expect(plan.criteria).toEqual({
      expectedStatus: [
        { min: 200, max: 200 },
        { min: 204, max: 204 },
      ],
      bodyContains: 'ok',
      samples: 3,
      maxLatencyP95Ms: 1500,
      minSuccessRate: 99.5,
      maxCpuPercent: 80,
      maxMemoryPercent: 85,
    });
    // A request never outlives the session.
    expect(plan.session).toEqual({ timeoutMs: 2000, intervalMs: 100, requiredSuccesses: 2, requestTimeoutMs: 2000 });
    expect(plan.targets.map((t) => t.kind)).toEqual(['container', 'prometheus']);
  });

  it('watches instead of proving when asked, and says what `watch` takes', () => {
    expect(parseHealthPlan({ targets: 'tcp://127.0.0.1:1', watch: 'true' }).session.watch).toBe(true);
    expect(parseHealthPlan({ targets: 'tcp://127.0.0.1:1', watch: 'false' }).session.watch).toBeUndefined();
    expect(() => parseHealthPlan({ targets: 'tcp://127.0.0.1:1', watch: 'always' })).toThrow(/^watch: "always" is not valid/);
  });

  it('accepts Prometheus checks alone', () => {
    expect(parseHealthPlan({ prometheusUrl: 'http://p:9090', prometheusQueries: 'up == 1' }).targets).toHaveLength(1);
  });

  it.each<[HealthCheckInputs, string]>([
    [
      { targets: '' },
      'targets: "" is not valid; list at least one target (or give prometheus-queries): http(s)://host[:port]/path, tcp://host:port or container://<name>, one a line',
    ],
    [{ timeout: '0s' }, 'timeout: "0s" is not valid; use a duration above zero, e.g. 30s or 5m'],
    [{ timeout: '5' }, 'timeout: "5" is not valid; use a number with a unit: ms, s, m, h or d (e.g. 500ms, 30s, 5m, 1h, 7d)'],
    [{ interval: 'often' }, 'interval: "often" is not valid; use a number with a unit: ms, s, m, h or d (e.g. 500ms, 30s, 5m, 1h, 7d)'],
    [{ requestTimeout: '0ms' }, 'request-timeout: "0ms" is not valid; use a duration above zero, e.g. 30s or 5m'],
    [
      { expectedStatus: '2xx-3xx' },
      'expected-status: "2xx-3xx" is not valid; use HTTP status codes and ranges from 100 to 599, e.g. 200, 200-399 or 200,204,301-308',
    ],
    [{ requiredSuccesses: '0' }, 'required-successes: "0" is not valid; use a whole number 1 or more'],
    [{ samples: '101' }, 'samples: "101" is not valid; use a whole number from 1 to 100'],
    [{ maxLatencyP95: '2000' }, 'max-latency-p95: "2000" is not valid; use a number with a unit: ms, s, m, h or d (e.g. 500ms, 30s, 5m, 1h, 7d)'],
    [{ minSuccessRate: '101%' }, 'min-success-rate: "101%" is not valid; use a percentage from 0 to 100, e.g. 99.5% or 80'],
    [{ maxCpu: 'lots' }, 'max-cpu: "lots" is not valid; use a percentage from 0 to 100, e.g. 99.5% or 80'],
    [{ maxMemory: '-5' }, 'max-memory: "-5" is not valid; use a percentage from 0 to 100, e.g. 99.5% or 80'],
  ])('rejects %j with a message naming the input', (inputs, message) => {
    expect(() => parseHealthPlan({ targets: 'tcp://127.0.0.1:1', ...inputs })).toThrow(message);
  });
});
