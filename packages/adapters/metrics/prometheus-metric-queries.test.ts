import { describe, expect, it } from 'vitest';
import { fillQuery, parseMetricQueries } from './prometheus-metric-queries.ts';

const SLOTS = {
  blue: { colour: 'blue', release: 'r41', version: '1.4.0' },
  green: { colour: 'green', release: 'r42', version: '1.5.0' },
};
const REQUESTS = 'requests: sum(http_requests_total{version="{{version}}"})';
const ERRORS = 'errors: sum(http_requests_total{version="{{ version }}",code=~"5.."}) or vector(0)';

describe('parseMetricQueries', () => {
  it('reads named queries, a comment and blank lines aside', () => {
    const raw = `# judged on the app's own counters\n${REQUESTS}\n\n${ERRORS}\np95: histogram_quantile(0.95, sum by (le) (rate(d_bucket{colour="{{colour}}"}[1m])))`;
    expect(parseMetricQueries(raw, SLOTS)).toEqual({
      requests: 'sum(http_requests_total{version="{{version}}"})',
      errors: 'sum(http_requests_total{version="{{ version }}",code=~"5.."}) or vector(0)',
      p95: 'histogram_quantile(0.95, sum by (le) (rate(d_bucket{colour="{{colour}}"}[1m])))',
    });
  });

  it('refuses an unknown name, a name given twice and a missing counter', () => {
    expect(() => parseMetricQueries(`${REQUESTS}\n${ERRORS}\np90: x{v="{{version}}"}`, SLOTS)).toThrow(
      'prometheus-queries: "p90: x{v=\\"{{version}}\\"}" is not valid; use one query a line as <name>: <promql>, names requests and errors (required: counters), p50, p95, p99',
    );
    expect(() => parseMetricQueries(`${REQUESTS}\n${REQUESTS}\n${ERRORS}`, SLOTS)).toThrow(
      `prometheus-queries: ${JSON.stringify(REQUESTS)} is not valid; give requests once;`,
    );
    expect(() => parseMetricQueries(REQUESTS, SLOTS)).toThrow(`prometheus-queries: ${JSON.stringify(REQUESTS)} is not valid; errors missing;`);
    expect(() => parseMetricQueries('sum(rate(http_requests_total[1m]))', SLOTS)).toThrow(
      'prometheus-queries: "sum(rate(http_requests_total[1m]))" is not valid; use one query a line',
    );
  });

  it('refuses a query that cannot tell the slots apart', () => {
    expect(() => parseMetricQueries('requests: sum(http_requests_total)\nerrors: vector(0)', SLOTS)).toThrow(
      'prometheus-queries: "requests: sum(http_requests_total)" is not valid; slots blue, green are read with each query, so it needs {{version}}, {{colour}} or {{release}} to tell them apart',
    );
    const withBaseline = { ...SLOTS, baseline: { colour: 'baseline', release: 'r41', version: '1.4.0' } };
    expect(() => parseMetricQueries(`${REQUESTS}\n${ERRORS}`, withBaseline)).toThrow(
      'it reads the same series for slots blue and baseline ({{version}} is "1.4.0"); use a placeholder that differs, e.g. {{colour}}',
    );
    expect(() => parseMetricQueries(`${REQUESTS}\nerrors: x{v="{{app}}"}`, SLOTS)).toThrow(
      '{{app}} is no placeholder; use {{version}}, {{colour}} or {{release}}',
    );
  });

  it('takes a query without placeholder when one slot is read', () => {
    expect(parseMetricQueries('requests: sum(a)\nerrors: sum(b)', { blue: SLOTS.blue })).toEqual({ requests: 'sum(a)', errors: 'sum(b)' });
  });
});

describe('fillQuery', () => {
  it('fills every placeholder, escaping what would end a PromQL string', () => {
    expect(fillQuery('x{c="{{colour}}",r="{{release}}",v="{{ version }}"}', { colour: 'blue', release: 'r"1', version: 'a\\b' })).toBe(
      'x{c="blue",r="r\\"1",v="a\\\\b"}',
    );
  });
});
