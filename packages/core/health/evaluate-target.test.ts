import { describe, expect, it } from 'vitest';
import { DEFAULT_CRITERIA, type HealthCriteria } from './criteria.ts';
import { evaluateTarget } from './evaluate-target.ts';
import type { Observation, Sample } from './prober.ts';
import { parsePrometheusChecks } from './prometheus-checks.ts';
import { parseTargets } from './targets.ts';

const [web] = parseTargets('http://127.0.0.1:8080/health');
const [db] = parseTargets('tcp://127.0.0.1:5432');
const [box] = parseTargets('container://web');
const [load] = parsePrometheusChecks('http://127.0.0.1:19090', 'avg(node_load1) < 4');
const ok = (latencyMs: number): Sample => ({ status: 200, latencyMs });
const http = (...samples: Sample[]): Observation => ({ kind: 'http', samples });
const criteria = (more: Partial<HealthCriteria> = {}): HealthCriteria => ({ ...DEFAULT_CRITERIA, ...more });

describe('evaluateTarget: HTTP and TCP samples', () => {
  it('passes when every sample answers in range, and reports percentiles', () => {
    const result = evaluateTarget(web!, http(ok(10), ok(20), ok(30), ok(40), ok(50)), criteria({ maxLatencyP95Ms: 100 }));
    expect(result).toMatchObject({ healthy: true, samples: 5, succeeded: 5, successRate: 100, failures: [] });
    // Linear interpolation between ranks (R's type 7, numpy's default).
    expect(result.latency).toEqual({ p50: 30, p95: 48, p99: 49.6 });
  });

  it('fails on latency p95, naming observed and threshold', () => {
    const result = evaluateTarget(web!, http(ok(100), ok(2300), ok(2300)), criteria({ maxLatencyP95Ms: 2000 }));
    expect(result.failures).toEqual([
      {
        target: 'http://127.0.0.1:8080/health',
        criterion: 'max-latency-p95',
        observed: '2300ms',
        threshold: '2000ms',
        message: 'http://127.0.0.1:8080/health: latency p95 2300ms exceeds max-latency-p95 2000ms',
      },
    ]);
  });

  it('counts a status outside expected-status as a failed sample, and says which', () => {
    const result = evaluateTarget(web!, http(ok(5), { status: 503, latencyMs: 3 }), criteria());
    expect(result.failures.map((f) => f.message)).toEqual([
      'http://127.0.0.1:8080/health: success rate 50% is below min-success-rate 100% (1 of 2 samples failed; last: status 503 is outside expected-status 200-399)',
    ]);
    // A 503 is still an answer: its latency counts.
    expect(result.latency?.p50).toBe(4);
  });

  it('tolerates failed samples down to min-success-rate', () => {
    const samples = [...Array(9).fill(ok(1)), { error: 'connect ECONNREFUSED 127.0.0.1:8080' }];
    expect(evaluateTarget(web!, http(...samples), criteria({ minSuccessRate: 90 })).healthy).toBe(true);
    expect(evaluateTarget(web!, http(...samples), criteria({ minSuccessRate: 95 })).failures[0]?.message).toBe(
      'http://127.0.0.1:8080/health: success rate 90% is below min-success-rate 95% (1 of 10 samples failed; last: connect ECONNREFUSED 127.0.0.1:8080)',
    );
  });

  it('fails a body that lacks body-contains', () => {
    const result = evaluateTarget(web!, http({ status: 200, latencyMs: 1, bodyMatched: false }), criteria({ bodyContains: 'ready' }));
    expect(result.failures[0]?.message).toBe(
      'http://127.0.0.1:8080/health: success rate 0% is below min-success-rate 100% (1 of 1 samples failed; last: body does not contain "ready" (body-contains))',
    );
  });

  it('judges TCP connections by the same success rate and latency, without a status', () => {
    expect(evaluateTarget(db!, { kind: 'tcp', samples: [{ latencyMs: 2 }] }, criteria())).toMatchObject({ healthy: true, kind: 'tcp' });
    const refused = evaluateTarget(db!, { kind: 'tcp', samples: [{ error: 'connect ECONNREFUSED 127.0.0.1:5432' }] }, criteria());
    expect(refused).toMatchObject({ healthy: false, latency: null, successRate: 0 });
  });
});

describe('evaluateTarget: containers', () => {
  const container = (o: Omit<Observation & { kind: 'container' }, 'kind'>): Observation => ({ kind: 'container', ...o });

  it('passes a running, healthy container', () => {
    expect(evaluateTarget(box!, container({ state: { status: 'running', health: 'healthy' } }), criteria()).healthy).toBe(true);
  });

  it('passes a running container without a HEALTHCHECK, and says so', () => {
    const result = evaluateTarget(box!, container({ state: { status: 'running' } }), criteria());
    expect(result).toMatchObject({ healthy: true, note: 'the image has no HEALTHCHECK: running counts as healthy' });
  });

  it.each<[Observation, string, string]>([
    [
      container({ state: { status: 'running', health: 'unhealthy', lastCheckOutput: 'wget: server returned error: HTTP/1.0 500' } }),
      'unhealthy',
      'container://web: health unhealthy, needs healthy; last check: wget: server returned error: HTTP/1.0 500',
    ],
    [container({ state: { status: 'running', health: 'starting' } }), 'starting', 'container://web: health starting, needs healthy'],
    [container({ state: { status: 'exited', health: 'unhealthy' } }), 'exited', 'container://web: container is exited, needs running'],
    [container({ error: 'no such container "web"' }), 'unavailable', 'container://web: no such container "web"'],
  ])('fails %j', (observation, observed, message) => {
    const [failure] = evaluateTarget(box!, observation, criteria()).failures;
    expect(failure).toMatchObject({ criterion: 'container-health', observed, message });
  });

  it('checks CPU and memory against max-cpu and max-memory', () => {
    const state = { status: 'running', health: 'healthy' } as const;
    const limits = criteria({ maxCpuPercent: 80, maxMemoryPercent: 85 });
    const busy = evaluateTarget(box!, container({ state, resources: { cpuPercent: 93.5, memoryPercent: 85 } }), limits);
    expect(busy.failures.map((f) => f.message)).toEqual(['container://web: cpu 93.5% exceeds max-cpu 80%']);
    const blind = evaluateTarget(box!, container({ state, resourcesError: 'docker stats timed out' }), limits);
    expect(blind.failures.map((f) => f.message)).toEqual([
      'container://web: cpu unknown (docker stats timed out), max-cpu 80%',
      'container://web: memory unknown (docker stats timed out), max-memory 85%',
    ]);
  });
});

describe('evaluateTarget: Prometheus checks', () => {
  const prometheus = (o: Omit<Observation & { kind: 'prometheus' }, 'kind'>): Observation => ({ kind: 'prometheus', ...o });
  const series = (value: string, instance: string) => ({ labels: { __name__: 'node_load1', instance }, value });

  it('passes when every series satisfies the comparison', () => {
    const result = evaluateTarget(load!, prometheus({ series: [series('1.5', 'a'), series('3.9', 'b')] }), criteria());
    expect(result).toMatchObject({ healthy: true, samples: 1, succeeded: 1, latency: null });
  });

  it.each<[Observation, string, string]>([
    [
      prometheus({ series: [series('1', 'a'), series('5.2', 'b'), series('NaN', 'c')] }),
      '5.2',
      'avg(node_load1) < 4: observed 5.2 for {instance="b"}, NaN for {instance="c"} (prometheus-queries)',
    ],
    [prometheus({ series: [{ labels: {}, value: '+Inf' }] }), '+Inf', 'avg(node_load1) < 4: observed +Inf (prometheus-queries)'],
    [prometheus({ series: [] }), 'no data', 'avg(node_load1) < 4: the query returned no data (prometheus-queries)'],
    [
      prometheus({ error: 'Prometheus rejected the query: bad_data: parse error' }),
      'error',
      'avg(node_load1) < 4: Prometheus rejected the query: bad_data: parse error',
    ],
  ])('fails %j', (observation, observed, message) => {
    const [failure] = evaluateTarget(load!, observation, criteria()).failures;
    expect(failure).toEqual({ target: 'avg(node_load1) < 4', criterion: 'prometheus-queries', observed, threshold: '< 4', message });
  });
});
