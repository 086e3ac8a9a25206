import { describe, expect, it } from 'vitest';
import { freePort, LocalServers } from '../../../test/support/local-servers.ts';
import { PROMETHEUS_URL } from '../../../test/support/services.ts';
import { parseHealthPlan, runHealthSession } from '../../core/health/index.ts';
import { silentLogger } from '../../core/logger.ts';
import { createProber } from '../probes/composite-prober.ts';
import { systemClock } from '../probes/system-clock.ts';
import { queryPrometheus } from './prometheus-query.ts';

const SELF = { __name__: 'up', instance: '127.0.0.1:19090', job: 'prometheus' };

async function check(prometheusQueries: string) {
  const prober = createProber();
  try {
    const plan = parseHealthPlan({ prometheusUrl: PROMETHEUS_URL, prometheusQueries, timeout: '500ms', interval: '50ms', requiredSuccesses: '2' });
    return await runHealthSession(plan, { prober, clock: systemClock, logger: silentLogger });
  } finally {
    prober.close();
  }
}

describe('queryPrometheus against a real Prometheus', () => {
  it('reads a vector and a scalar', async () => {
    expect(await queryPrometheus(PROMETHEUS_URL, 'up{job="prometheus"}', { timeoutMs: 5000 })).toEqual({
      kind: 'prometheus',
      series: [{ labels: SELF, value: '1' }],
    });
    expect(await queryPrometheus(`${PROMETHEUS_URL}/`, 'scalar(up{job="prometheus"}) * 2', { timeoutMs: 5000 })).toEqual({
      kind: 'prometheus',
      series: [{ labels: {}, value: '2' }],
    });
  });

  it('shows bad PromQL in Prometheus’s words', async () => {
    expect((await queryPrometheus(PROMETHEUS_URL, 'sum(up', { timeoutMs: 5000 })).error).toBe(
      'Prometheus rejected the query: bad_data: invalid parameter "query": 1:7: parse error: unclosed left parenthesis',
    );
  });

  it('sends the URL’s user and password as basic authentication, and never shows them', async () => {
    const servers = new LocalServers();
    const seen: (string | undefined)[] = [];
    const base = await servers.http((req, res) => {
      seen.push(req.headers.authorization);
      res.end('{"status":"success","data":{"resultType":"scalar","result":[1795721107.078,"1"]}}');
    });
    try {
      const withUser = base.replace('http://', 'http://canary:p%40ss@');
      expect(await queryPrometheus(withUser, '1', { timeoutMs: 5000 })).toEqual({ kind: 'prometheus', series: [{ labels: {}, value: '1' }] });
      expect(seen).toEqual([`Basic ${Buffer.from('canary:p@ss').toString('base64')}`]);
    } finally {
      await servers.closeAll();
    }
    const port = await freePort();
    const refused = await queryPrometheus(`http://canary:p%40ss@127.0.0.1:${port}`, 'up', { timeoutMs: 5000 });
    expect(refused.error).toBe(`could not query Prometheus at http://127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}`);
  });

  it('says when Prometheus cannot be reached', async () => {
    const port = await freePort();
    expect((await queryPrometheus(`http://127.0.0.1:${port}`, 'up', { timeoutMs: 5000 })).error).toBe(
      `could not query Prometheus at http://127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}`,
    );
  });
});

describe('Prometheus checks in a health session', () => {
  it('passes when every series satisfies its check', async () => {
    const report = await check('up{job="prometheus"} == 1\ncount(up) >= 1');
    expect(report.healthy).toBe(true);
    expect(report.targets.map((t) => [t.target, t.kind, t.successRate])).toEqual([
      ['up{job="prometheus"} == 1', 'prometheus', 100],
      ['count(up) >= 1', 'prometheus', 100],
    ]);
  });

  it('fails a check a series does not satisfy, naming the series', async () => {
    const report = await check('up{job="prometheus"} == 0');
    expect(report.lastFailures.map(({ observed, threshold, message }) => ({ observed, threshold, message }))).toEqual([
      {
        observed: '1',
        threshold: '== 0',
        message: 'up{job="prometheus"} == 0: observed 1 for {instance="127.0.0.1:19090",job="prometheus"} (prometheus-queries)',
      },
    ]);
  });

  it('fails an empty result as no data, and bad PromQL as Prometheus’s error', async () => {
    const report = await check('up{job="no-such-job"} == 1\nsum(up > 0');
    expect(report.lastFailures.map((f) => f.message)).toEqual([
      'up{job="no-such-job"} == 1: the query returned no data (prometheus-queries)',
      'sum(up > 0: Prometheus rejected the query: bad_data: invalid parameter "query": 1:7: parse error: unclosed left parenthesis',
    ]);
  });
});
