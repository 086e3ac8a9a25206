import { describe, expect, it } from 'vitest';
import { PROMETHEUS_URL } from '../../../test/support/services.ts';
import { parseMetricQueries, type SlotLabels } from './prometheus-metric-queries.ts';
import { PrometheusMetricsSource } from './prometheus-metrics-source.ts';
import { queryPrometheus } from './prometheus-query.ts';

// The test Prometheus scrapes only itself (every second): each slot is one of its HTTP handlers.
const SLOTS: Record<string, SlotLabels> = {
  blue: { colour: 'blue', release: 'r1', version: '/metrics' },
  green: { colour: 'green', release: 'r2', version: '/api/v1/query' },
};
const ERRORS = 'errors: sum(prometheus_http_requests_total{handler="{{version}}",code=~"5.."}) or vector(0)';
const QUERIES = [
  'requests: sum(prometheus_http_requests_total{handler="{{version}}"})',
  ERRORS,
  'p95: histogram_quantile(0.95, sum by (le) (rate(prometheus_http_request_duration_seconds_bucket{handler="{{version}}"}[1m])))',
].join('\n');

async function valueAt(query: string, time: number): Promise<number> {
  const answer = await queryPrometheus(PROMETHEUS_URL, query, { timeoutMs: 5000, time: time / 1000 });
  return Number(answer.series![0]!.value);
}

/** A clock handing out the given instants in turn, so the test can query the same ones. */
const clock =
  (...instants: number[]) =>
  () =>
    instants.shift()!;

describe('Prometheus as canary metrics', () => {
  it('fills each slot into the queries and reports the counters’ increase between reads', async () => {
    const now = Date.now() - 2_000; // scraped by now
    const [t0, t1, t2] = [now - 6_000, now - 3_000, now];
    const source = await PrometheusMetricsSource.open(PROMETHEUS_URL, parseMetricQueries(QUERIES, SLOTS), SLOTS, { now: clock(t0, t1, t2) });
    const first = await source.read();
    const second = await source.read();
    expect(first.atMs).toBe(t1);
    for (const [slot, { version }] of Object.entries(SLOTS)) {
      const requests = `sum(prometheus_http_requests_total{handler="${version}"})`;
      const [at0, at1, at2] = await Promise.all([valueAt(requests, t0), valueAt(requests, t1), valueAt(requests, t2)]);
      expect(first.slots[slot]).toMatchObject({ requests: at1 - at0, errors: 0 });
      expect(second.slots[slot]).toMatchObject({ requests: at2 - at1, errors: 0 });
    }
    // About one scrape a second over 3 s; queries of the test itself on /api/v1/query.
    expect(first.slots.blue!.requests).toBeGreaterThanOrEqual(2);
    expect(first.slots.blue!.latency).toEqual({ kind: 'summary', p95Ms: expect.any(Number) });
    expect(second.slots.blue!.latency.kind === 'summary' && second.slots.blue!.latency.p95Ms).toBeGreaterThan(0);
  });

  it('rejects a read where a slot’s query returns no data, naming the slot and the query', async () => {
    const slots = { ...SLOTS, baseline: { colour: 'baseline', release: 'r1', version: '/no-such-handler' } };
    const source = await PrometheusMetricsSource.open(PROMETHEUS_URL, parseMetricQueries(QUERIES, slots), slots);
    await expect(source.read()).rejects.toThrow(
      `Prometheus at ${PROMETHEUS_URL}: the requests query for slot baseline returned no data (sum(prometheus_http_requests_total{handler="/no-such-handler"})); ` +
        'an empty answer is not read as zero: check the labels, or end the query with "or vector(0)" where none is the truth (e.g. no 5xx yet)',
    );
  });

  it('refuses a query that returns several series, and shows Prometheus’s words for bad PromQL', async () => {
    const several = parseMetricQueries(`requests: prometheus_http_requests_total{handler!="{{version}}"}\n${ERRORS}`, SLOTS);
    await expect(PrometheusMetricsSource.open(PROMETHEUS_URL, several, SLOTS)).rejects.toThrow(
      /requests for slot (blue|green) \(prometheus_http_requests_total\{handler!="[^"]+"\}\) returned \d+ series; aggregate it to one, e.g. with sum\(\.\.\.\)/,
    );
    const bad = parseMetricQueries(`requests: sum(up{job="{{colour}}"}\n${ERRORS}`, SLOTS);
    // Slots are queried at once: whichever answers first names the failure.
    await expect(PrometheusMetricsSource.open(PROMETHEUS_URL, bad, SLOTS)).rejects.toThrow(
      /^Prometheus at http:\/\/127\.0\.0\.1:19090: requests for slot (blue|green) \(sum\(up\{job="\1"\}\): Prometheus rejected the query: bad_data: invalid parameter "query": 1:\d+: parse error: unclosed left parenthesis$/,
    );
  });

  it('sends a user and password as basic authentication and never shows them', async () => {
    const withUser = PROMETHEUS_URL.replace('http://', 'http://canary:s3cret@');
    const source = await PrometheusMetricsSource.open(withUser, parseMetricQueries(QUERIES, SLOTS), SLOTS);
    expect(source.describe()).toBe(`Prometheus at ${PROMETHEUS_URL.replace('http://', 'http://canary:***@')}`);
    expect((await source.read()).slots.blue!.requests).toBeGreaterThanOrEqual(0);
    const unreachable = PrometheusMetricsSource.open('http://canary:s3cret@127.0.0.1:1', parseMetricQueries(QUERIES, SLOTS), SLOTS);
    await expect(unreachable).rejects.toThrow('Prometheus at http://canary:***@127.0.0.1:1: requests for slot');
    await expect(unreachable).rejects.not.toThrow(/s3cret/);
  });
});
