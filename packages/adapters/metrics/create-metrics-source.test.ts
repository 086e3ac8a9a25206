import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { localSystem } from '../host/host-system.ts';
import { AccessLogMetricsSource } from './access-log-metrics-source.ts';
import { createMetricsSource, parseMetricsInput, type MetricsSetup } from './create-metrics-source.ts';

const SETUP: MetricsSetup = {
  metrics: 'router',
  router: 'haproxy',
  routerEndpoint: 'unix:///run/haproxy/admin.sock',
  service: 'shop-production',
  slots: {
    blue: { address: '127.0.0.1:8081', colour: 'blue', release: 'r41', version: '1.4.0' },
    green: { address: '127.0.0.1:8082', colour: 'green', release: 'r42', version: '1.5.0' },
  },
};
const FORMS = 'use router (HAProxy counters), access-log:/absolute/path (an nginx log in the sidhe_canary format) or prometheus, one a line';

describe('parseMetricsInput', () => {
  it('reads sources one a line or comma-separated, in the given order', () => {
    expect(parseMetricsInput('router\naccess-log:/var/log/nginx/canary.log, prometheus')).toEqual([
      { kind: 'router' },
      { kind: 'access-log', path: '/var/log/nginx/canary.log' },
      { kind: 'prometheus' },
    ]);
  });

  it('refuses an unknown source, a relative path, a source given twice and nothing at all', () => {
    expect(() => parseMetricsInput('haproxy')).toThrow(`metrics: "haproxy" is not valid; ${FORMS}`);
    expect(() => parseMetricsInput('access-log:logs/canary.log')).toThrow(
      `metrics: "access-log:logs/canary.log" is not valid; access-log needs an absolute path without '..', e.g. access-log:/var/log/nginx/sidhe-canary.log`,
    );
    expect(() => parseMetricsInput('router\nrouter')).toThrow(`metrics: "router" is not valid; it is given twice; ${FORMS}`);
    expect(() => parseMetricsInput(' ')).toThrow(`metrics: " " is not valid; give at least one source; ${FORMS}`);
  });
});

describe('createMetricsSource', () => {
  it('refuses router metrics with nginx, which keeps no per-server counters', async () => {
    await expect(createMetricsSource({ ...SETUP, router: 'nginx', routerEndpoint: 'file:///etc/nginx/sidhe/' })).rejects.toThrow(
      'metrics: "router" is not valid; router metrics need router haproxy (nginx keeps no per-server counters); with nginx use access-log:/path/to/the/sidhe_canary.log',
    );
  });

  it('names the Prometheus input that is missing or wrong, never showing a password', async () => {
    await expect(createMetricsSource({ ...SETUP, metrics: 'prometheus' })).rejects.toThrow(
      'prometheus-url: "" is not valid; metrics: prometheus needs the base URL',
    );
    await expect(createMetricsSource({ ...SETUP, metrics: 'prometheus', prometheusUrl: 'prometheus:9090' })).rejects.toThrow(
      'prometheus-url: "prometheus:9090" is not valid; give the base URL of the Prometheus server, e.g. http://prometheus:9090',
    );
    await expect(createMetricsSource({ ...SETUP, metrics: 'prometheus', prometheusUrl: 'ftp://ops:hunter2@prometheus' })).rejects.toThrow(
      'prometheus-url: "ftp://ops:***@prometheus" is not valid',
    );
    await expect(createMetricsSource({ ...SETUP, metrics: 'prometheus', prometheusUrl: 'http://prometheus:9090' })).rejects.toThrow(
      'prometheus-queries: "" is not valid; metrics: prometheus needs a requests: and an errors: query',
    );
    await expect(
      createMetricsSource({ ...SETUP, metrics: 'prometheus', prometheusUrl: 'http://prometheus:9090', prometheusQueries: 'requests: sum(a)\nerrors: sum(b)' }),
    ).rejects.toThrow('prometheus-queries: "requests: sum(a)" is not valid; slots blue, green are read with each query');
  });

  it('checks every source before opening any', async () => {
    await expect(createMetricsSource({ ...SETUP, metrics: 'access-log:/nonexistent/canary.log\nrouter', routerEndpoint: 'http://haproxy' })).rejects.toThrow(
      'router-endpoint: "http://haproxy" is not valid; unknown scheme "http:"',
    );
  });

  it('opens one source as itself, and several as one that reads them all', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sidhe-metrics-'));
    try {
      await writeFile(join(dir, 'a.log'), '');
      await writeFile(join(dir, 'b.log'), '');
      const one = await createMetricsSource({ ...SETUP, metrics: `access-log:${dir}/a.log` });
      expect(one).toBeInstanceOf(AccessLogMetricsSource);
      const both = await createMetricsSource({ ...SETUP, metrics: `access-log:${dir}/a.log, access-log:${dir}/b.log` });
      expect(both.describe()).toBe(`nginx access log ${dir}/a.log + nginx access log ${dir}/b.log`);
      expect((await both.read()).slots).toEqual({
        blue: { requests: 0, errors: 0, latency: { kind: 'samples', ms: [] } },
        green: { requests: 0, errors: 0, latency: { kind: 'samples', ms: [] } },
      });
      await Promise.all([one.close?.(), both.close?.()]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('with hosts, reads the log on each host and pools their windows', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sidhe-metrics-'));
    try {
      const log = join(dir, 'canary.log');
      await writeFile(log, '');
      // Two "hosts" whose files are this runner's: the same log read through each, so every request counts twice.
      const hosts = [
        { name: 'web1', system: localSystem },
        { name: 'web2', system: localSystem },
      ];
      const pooled = await createMetricsSource({ ...SETUP, metrics: `access-log:${log}`, hosts });
      expect(pooled.describe()).toBe(`nginx access log ${log} pooled over web1, web2`);
      await appendFile(log, '{"time":"t","upstream":"127.0.0.1:8082","status":200,"upstream_status":"200","rt":"0.002"}\n');
      expect((await pooled.read()).slots.green).toEqual({ requests: 2, errors: 0, latency: { kind: 'samples', ms: [2, 2] } });
      await pooled.close?.();
      const missing = createMetricsSource({
        ...SETUP,
        metrics: `access-log:${log}`,
        hosts: [...hosts, { name: 'web3', system: { ...localSystem, name: 'web3', run: () => Promise.reject(new Error('connection lost')) } }],
      });
      await expect(missing).rejects.toThrow('web3: connection lost');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
