import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../test/support/local-servers.ts';
import { NODE_EXPORTER_ADDRESS, startNodePrometheus, type PrometheusProcess } from '../../../test/support/prometheus-process.ts';
import { readHostUsage } from './node-exporter-usage.ts';

let prometheus: PrometheusProcess;
beforeAll(async () => {
  prometheus = await startNodePrometheus();
});
afterAll(() => prometheus?.stop());

describe('host usage from node-exporter through Prometheus', () => {
  it("reads this host's CPU, memory and disk use as percentages", async () => {
    const hosts = await readHostUsage('prometheus-url', prometheus.url, { timeoutMs: 5_000, now: Date.now() });
    expect(hosts).toHaveLength(1);
    const [host] = hosts;
    expect(host!.instance).toBe(NODE_EXPORTER_ADDRESS);
    for (const value of [host!.cpuPercent, host!.memoryPercent]) {
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThanOrEqual(100);
    }
    expect(host!.disks.length).toBeGreaterThan(0);
    expect(host!.disks.every((d) => d.percent >= 0 && d.percent <= 100 && d.mountpoint.startsWith('/'))).toBe(true);
  });

  it('fails naming the input when Prometheus cannot be reached', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    await expect(readHostUsage('prometheus-url', url, { timeoutMs: 2_000, now: Date.now() })).rejects.toThrow(
      `prometheus-url: could not query Prometheus at ${url}: `,
    );
  });
});
