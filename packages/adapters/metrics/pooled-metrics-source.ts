import type { LatencyWindow, MetricsReading, MetricsSource, VersionWindow } from '../../core/canary/metrics-source.ts';
import { percentiles } from '../../core/health/percentiles.ts';
import { mergeReadings } from './composite-metrics-source.ts';

/**
 * One metrics source per host of a fleet, pooled into the fleet's: each slot's requests and errors
 * summed over the hosts, latency samples put together. Summaries cannot be pooled exactly: the mean
 * is weighted by requests, each percentile is the highest host's (a slow host is not averaged away).
 * When one host fails a read, the read fails and what the others read waits for the next window,
 * so every host's window spans the same looks (as CompositeMetricsSource does for several sources).
 */
export class PooledMetricsSource implements MetricsSource {
  readonly #hosts: readonly { name: string; source: MetricsSource }[];
  #pending: (MetricsReading | undefined)[] = [];

  constructor(hosts: readonly { name: string; source: MetricsSource }[]) {
    this.#hosts = hosts;
  }

  describe(): string {
    return `${this.#hosts[0]?.source.describe() ?? 'no metrics'} pooled over ${this.#hosts.map((host) => host.name).join(', ')}`;
  }

  async read(): Promise<MetricsReading> {
    const results = await Promise.allSettled(this.#hosts.map((host) => host.source.read()));
    results.forEach((result, index) => {
      if (result.status === 'fulfilled') this.#pending[index] = mergeReadings(this.#pending[index], result.value);
    });
    const failed = results.findIndex((result) => result.status === 'rejected');
    if (failed >= 0) {
      const reason: unknown = (results[failed] as PromiseRejectedResult).reason;
      throw new Error(`${this.#hosts[failed]!.name}: ${reason instanceof Error ? reason.message : String(reason)}`);
    }
    const readings = this.#pending as MetricsReading[];
    this.#pending = [];
    return pool(readings);
  }

  async close(): Promise<void> {
    await Promise.all(this.#hosts.map(async (host) => host.source.close?.()));
  }
}

function pool(readings: readonly MetricsReading[]): MetricsReading {
  const names = [...new Set(readings.flatMap((reading) => Object.keys(reading.slots)))];
  const slots: Record<string, VersionWindow> = {};
  for (const name of names) {
    const windows = readings.flatMap((reading) => (reading.slots[name] ? [reading.slots[name]] : []));
    slots[name] = {
      requests: windows.reduce((sum, w) => sum + w.requests, 0),
      errors: windows.reduce((sum, w) => sum + w.errors, 0),
      latency: poolLatency(windows),
    };
  }
  return { atMs: Math.max(...readings.map((reading) => reading.atMs)), slots };
}

function poolLatency(windows: readonly VersionWindow[]): LatencyWindow {
  const answered = windows.filter((w) => w.latency.kind !== 'none');
  if (answered.length === 0) return { kind: 'none' };
  if (answered.every((w) => w.latency.kind === 'samples')) return { kind: 'samples', ms: answered.flatMap((w) => (w.latency as { ms: number[] }).ms) };
  const summaries = answered.map((w) => ({ requests: w.requests, latency: asSummary(w.latency) }));
  const highest = (key: 'p50Ms' | 'p95Ms' | 'p99Ms'): { [k: string]: number } => {
    const values = summaries.flatMap((s) => (s.latency[key] !== undefined ? [s.latency[key]] : []));
    return values.length > 0 ? { [key]: Math.max(...values) } : {};
  };
  const withMean = summaries.filter((s) => s.latency.meanMs !== undefined);
  const weight = withMean.reduce((sum, s) => sum + s.requests, 0);
  const meanMs =
    withMean.length === 0
      ? undefined
      : weight === 0
        ? Math.max(...withMean.map((s) => s.latency.meanMs!))
        : withMean.reduce((sum, s) => sum + s.latency.meanMs! * s.requests, 0) / weight;
  return { kind: 'summary', ...(meanMs !== undefined ? { meanMs } : {}), ...highest('p50Ms'), ...highest('p95Ms'), ...highest('p99Ms') };
}

/** A host that logs each request still has a summary to pool with hosts that only summarise. */
function asSummary(latency: LatencyWindow): Extract<LatencyWindow, { kind: 'summary' }> {
  if (latency.kind === 'summary') return latency;
  const ms = latency.kind === 'samples' ? latency.ms : [];
  const found = percentiles(ms);
  if (!found) return { kind: 'summary' };
  return { kind: 'summary', meanMs: ms.reduce((a, b) => a + b, 0) / ms.length, p50Ms: found.p50, p95Ms: found.p95, p99Ms: found.p99 };
}
