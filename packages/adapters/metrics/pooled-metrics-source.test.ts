import { describe, expect, it } from 'vitest';
import type { MetricsReading, MetricsSource } from '../../core/canary/metrics-source.ts';
import { PooledMetricsSource } from './pooled-metrics-source.ts';

/** A FAKE host's source answering the given readings (or errors) in turn. */
function scripted(answers: (MetricsReading | Error)[]): MetricsSource & { closed: boolean } {
  return {
    closed: false,
    describe: () => 'HAProxy counters of backend shop-production',
    read: async () => {
      const next = answers.shift()!;
      if (next instanceof Error) throw next;
      return next;
    },
    async close() {
      this.closed = true;
    },
  };
}

const summary = (atMs: number, requests: number, errors: number, meanMs: number, p95Ms: number): MetricsReading => ({
  atMs,
  slots: {
    blue: { requests, errors, latency: { kind: 'summary', meanMs, p95Ms } },
    green: { requests: 10, errors: 0, latency: { kind: 'summary', meanMs: 5, p95Ms: 9 } },
  },
});
const samples = (atMs: number, ms: number[]): MetricsReading => ({
  atMs,
  slots: { green: { requests: ms.length, errors: 1, latency: { kind: 'samples', ms } } },
});

describe('PooledMetricsSource', () => {
  it('sums every host’s counts; the mean weighted by requests, each percentile the slowest host’s', async () => {
    const source = new PooledMetricsSource([
      { name: 'web1', source: scripted([summary(10, 300, 3, 10, 20)]) },
      { name: 'web2', source: scripted([summary(12, 100, 5, 30, 80)]) },
    ]);
    expect(source.describe()).toBe('HAProxy counters of backend shop-production pooled over web1, web2');
    expect(await source.read()).toEqual({
      atMs: 12,
      slots: {
        blue: { requests: 400, errors: 8, latency: { kind: 'summary', meanMs: 15, p95Ms: 80 } },
        green: { requests: 20, errors: 0, latency: { kind: 'summary', meanMs: 5, p95Ms: 9 } },
      },
    });
  });

  it('puts samples together when every host logs each request', async () => {
    const source = new PooledMetricsSource([
      { name: 'web1', source: scripted([samples(10, [10, 20])]) },
      { name: 'web2', source: scripted([samples(11, [30])]) },
    ]);
    expect((await source.read()).slots.green).toEqual({ requests: 3, errors: 2, latency: { kind: 'samples', ms: [10, 20, 30] } });
  });

  it('pools a host that logs each request with one that only summarises as a summary', async () => {
    const source = new PooledMetricsSource([
      { name: 'web1', source: scripted([samples(10, [10, 20, 30])]) },
      { name: 'web2', source: scripted([summary(11, 100, 0, 10, 20)]) },
    ]);
    // green: web1's three samples (mean 20, p95 29) with web2's 10 requests (mean 5, p95 9).
    expect((await source.read()).slots.green).toEqual({
      requests: 13,
      errors: 1,
      latency: { kind: 'summary', meanMs: (20 * 3 + 5 * 10) / 13, p50Ms: 20, p95Ms: 29, p99Ms: 29.8 },
    });
  });

  it('fails a read naming the host, and adds what the others read to the next window', async () => {
    const web1 = scripted([summary(10, 100, 1, 10, 20), summary(20, 50, 0, 10, 20)]);
    const web2 = scripted([new Error('connection refused'), summary(21, 70, 2, 10, 20)]);
    const source = new PooledMetricsSource([
      { name: 'web1', source: web1 },
      { name: 'web2', source: web2 },
    ]);

    await expect(source.read()).rejects.toThrow('web2: connection refused');
    expect((await source.read()).slots.blue).toMatchObject({ requests: 220, errors: 3 });
    await source.close();
    expect([web1.closed, web2.closed]).toEqual([true, true]);
  });
});
