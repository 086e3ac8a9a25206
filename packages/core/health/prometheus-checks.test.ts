import { describe, expect, it } from 'vitest';
import { parsePrometheusChecks, sampleValue, satisfies } from './prometheus-checks.ts';

const URL = 'http://127.0.0.1:19090';

describe('parsePrometheusChecks', () => {
  it('takes the last operator on the line as the comparison, the rest as PromQL', () => {
    const raw = [
      'avg(node_load1) < 4',
      'sum by (job, instance) (rate(http_requests_total{code=~"5.."}[5m])) <= 0.5',
      'up{job="prometheus"} == 1',
      'x>-1e3',
      'a - b != .5',
    ].join('\n');
    expect(parsePrometheusChecks(URL, raw).map((t) => t.kind === 'prometheus' && [t.query, t.comparison])).toEqual([
      ['avg(node_load1)', { op: '<', threshold: 4 }],
      ['sum by (job, instance) (rate(http_requests_total{code=~"5.."}[5m]))', { op: '<=', threshold: 0.5 }],
      ['up{job="prometheus"}', { op: '==', threshold: 1 }],
      ['x', { op: '>', threshold: -1000 }],
      ['a - b', { op: '!=', threshold: 0.5 }],
    ]);
  });

  it('names each check by its line and keeps the server URL', () => {
    expect(parsePrometheusChecks(URL, 'up >= 1')).toEqual([
      { kind: 'prometheus', id: 'up >= 1', url: URL, query: 'up', comparison: { op: '>=', threshold: 1 } },
    ]);
  });

  it('needs nothing when there are no queries', () => {
    expect(parsePrometheusChecks('', '\n# none yet\n')).toEqual([]);
  });

  it.each(['avg(node_load1) four', 'up = 1', '< 4', 'up ==', 'up =< 1', 'up !! 1'])('rejects %j naming the input and the line', (line) => {
    expect(() => parsePrometheusChecks(URL, line)).toThrow(
      `prometheus-queries: ${JSON.stringify(line)} is not valid; use one check a line: <promql> <op> <number>, with op one of < <= > >= == != (e.g. avg(node_load1) < 4)`,
    );
  });

  it.each(['', 'prometheus:9090', 'ftp://prometheus'])('needs a Prometheus URL when there are queries (%j)', (url) => {
    expect(() => parsePrometheusChecks(url, 'up == 1')).toThrow(
      `prometheus-url: ${JSON.stringify(url)} is not valid; prometheus-queries needs the base URL of the Prometheus server, e.g. http://prometheus:9090`,
    );
  });
});

describe('comparisons', () => {
  it('read Prometheus sample values, infinities included', () => {
    expect(['1', '0.25', '+Inf', '-Inf'].map(sampleValue)).toEqual([1, 0.25, Infinity, -Infinity]);
    expect(sampleValue('NaN')).toBeNaN();
  });

  it('apply every operator, and NaN satisfies none', () => {
    const ops = ['<', '<=', '>', '>=', '==', '!='] as const;
    expect(ops.map((op) => satisfies(4, { op, threshold: 4 }))).toEqual([false, true, false, true, true, false]);
    expect(ops.map((op) => satisfies(3, { op, threshold: 4 }))).toEqual([true, true, false, false, false, true]);
    expect(ops.some((op) => satisfies(NaN, { op, threshold: 4 }))).toBe(false);
  });
});
