/**
 * What a canary is judged on: per routed slot (`blue`, `green`, and `baseline` when one runs), the
 * requests that slot answered since the previous look. Sources (HAProxy's counters, an nginx access
 * log, Prometheus) live in packages/adapters/metrics; the judge in packages/core/canary reads only this.
 */

/** Latency as the source can see it: each request's, or only what the source summarises. */
export type LatencyWindow =
  /** One entry per request answered in the window, in ms (access logs). */
  | { kind: 'samples'; ms: number[] }
  /** What the source reports over recent requests (HAProxy's averages, Prometheus quantiles), in ms. */
  | { kind: 'summary'; meanMs?: number; p50Ms?: number; p95Ms?: number; p99Ms?: number }
  | { kind: 'none' };

/** One slot's traffic in one window. Zero requests is data (nothing was sent), never "no data". */
export interface VersionWindow {
  /** Responses and failed attempts the slot had in the window. */
  requests: number;
  /** Of those, 5xx answers and connection or response errors. */
  errors: number;
  latency: LatencyWindow;
}

/** One look: every slot's window, and when it was read (ms since the epoch). */
export interface MetricsReading {
  atMs: number;
  slots: Record<string, VersionWindow>;
}

export interface MetricsSource {
  /** e.g. `HAProxy counters of backend shop-production`, for messages. */
  describe(): string;
  /**
   * What each slot answered since the previous read (the first read: since the source was created).
   * Rejects when the source cannot be read (the caller retries, and fails the look after several
   * errors in a row); a slot the source has never seen traffic for is reported with zero requests.
   */
  read(): Promise<MetricsReading>;
  /** Lets go of files, sockets and timers. */
  close?(): Promise<void>;
}
