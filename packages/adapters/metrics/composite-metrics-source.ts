import type { LatencyWindow, MetricsReading, MetricsSource, VersionWindow } from '../../core/canary/metrics-source.ts';

/**
 * Several `metrics` read as one, all at every look. Counts (requests, errors) come from the first
 * source listed that reports the slot: the user's order says which counts to trust. Latency comes
 * from the first source with per-request samples (an access log), else the first with a summary.
 * When one source fails a read, the read fails, and what the others read is kept and added to
 * their next window, so every source's window still spans the same looks.
 */
export class CompositeMetricsSource implements MetricsSource {
  readonly #sources: readonly MetricsSource[];
  #pending: (MetricsReading | undefined)[] = [];

  constructor(sources: readonly MetricsSource[]) {
    this.#sources = sources;
  }

  describe(): string {
    return this.#sources.map((source) => source.describe()).join(' + ');
  }

  async read(): Promise<MetricsReading> {
    const results = await Promise.allSettled(this.#sources.map((source) => source.read()));
    results.forEach((result, index) => {
      if (result.status === 'fulfilled') this.#pending[index] = mergeReadings(this.#pending[index], result.value);
    });
    const failed = results.find((result) => result.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
    const readings = this.#pending as MetricsReading[];
    this.#pending = [];
    return combine(readings);
  }

  async close(): Promise<void> {
    await Promise.all(this.#sources.map(async (source) => source.close?.()));
  }
}

function combine(readings: MetricsReading[]): MetricsReading {
  const names = [...new Set(readings.flatMap((reading) => Object.keys(reading.slots)))];
  const slots: Record<string, VersionWindow> = {};
  for (const name of names) {
    const windows = readings.map((reading) => reading.slots[name]).filter((window) => window !== undefined);
    const latency = windows.find((window) => window.latency.kind === 'samples')?.latency ??
      windows.find((window) => window.latency.kind === 'summary')?.latency ?? { kind: 'none' };
    slots[name] = { requests: windows[0]!.requests, errors: windows[0]!.errors, latency };
  }
  return { atMs: Math.max(...readings.map((reading) => reading.atMs)), slots };
}

/** A source's window over two reads: counts and samples added, the later summary kept. */
export function mergeReadings(earlier: MetricsReading | undefined, later: MetricsReading): MetricsReading {
  if (earlier === undefined) return later;
  const slots: Record<string, VersionWindow> = { ...earlier.slots };
  for (const [name, window] of Object.entries(later.slots)) {
    const before = slots[name];
    slots[name] =
      before === undefined
        ? window
        : { requests: before.requests + window.requests, errors: before.errors + window.errors, latency: mergeLatency(before.latency, window.latency) };
  }
  return { atMs: later.atMs, slots };
}

function mergeLatency(earlier: LatencyWindow, later: LatencyWindow): LatencyWindow {
  if (earlier.kind === 'samples' && later.kind === 'samples') return { kind: 'samples', ms: [...earlier.ms, ...later.ms] };
  return later.kind === 'none' ? earlier : later;
}
