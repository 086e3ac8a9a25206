import type { MetricsReading, MetricsSource, VersionWindow } from '../../core/canary/metrics-source.ts';
import { ConfigurationError } from '../../core/errors.ts';
import { parseStat } from '../routers/haproxy-answers.ts';
import type { HaproxyEndpoint } from '../routers/haproxy-endpoint.ts';
import { sendCommand } from '../routers/haproxy-socket.ts';
import { counterDeltas } from './counter-deltas.ts';
import { serverCounters, windowFromCounters, type ServerCounters } from './haproxy-stat-counters.ts';

export interface HaproxyMetricsOptions {
  /** The clock a reading is stamped with. Default Date.now. */
  now?: () => number;
}

/**
 * The canary's windows from HAProxy's own counters: one `show stat` of the backend per read, each
 * slot being the server of that name (see haproxy-stat-counters.ts for what is counted). Open it
 * with `HaproxyMetricsSource.open`, which takes the counters the first window starts from.
 */
export class HaproxyMetricsSource implements MetricsSource {
  readonly #endpoint: HaproxyEndpoint;
  readonly #backend: string;
  readonly #slots: readonly string[];
  readonly #now: () => number;
  #previous: Record<string, ServerCounters> = {};

  static async open(endpoint: HaproxyEndpoint, backend: string, slots: readonly string[], options: HaproxyMetricsOptions = {}): Promise<HaproxyMetricsSource> {
    const source = new HaproxyMetricsSource(endpoint, backend, slots, options);
    source.#previous = await source.#counters();
    return source;
  }

  private constructor(endpoint: HaproxyEndpoint, backend: string, slots: readonly string[], options: HaproxyMetricsOptions) {
    this.#endpoint = endpoint;
    this.#backend = backend;
    this.#slots = slots;
    this.#now = options.now ?? Date.now;
  }

  describe(): string {
    return `HAProxy counters of backend ${this.#backend} via ${this.#endpoint.text}`;
  }

  async read(): Promise<MetricsReading> {
    const rows = await this.#rows();
    const atMs = this.#now();
    const current: Record<string, ServerCounters> = {};
    const slots: Record<string, VersionWindow> = {};
    for (const slot of this.#slots) {
      const row = rows.get(slot)!;
      current[slot] = serverCounters(row);
      slots[slot] = windowFromCounters(counterDeltas(this.#previous[slot], current[slot]), row.rtime);
    }
    this.#previous = current;
    return { atMs, slots };
  }

  async #counters(): Promise<Record<string, ServerCounters>> {
    const rows = await this.#rows();
    return Object.fromEntries(this.#slots.map((slot) => [slot, serverCounters(rows.get(slot)!)]));
  }

  /** The backend's server rows by name; every slot must be one of them. */
  async #rows(): Promise<Map<string, Record<string, string>>> {
    // Type 4: servers only, of this backend only.
    const answer = await sendCommand(this.#endpoint, `show stat ${this.#backend} 4 -1`);
    if (answer.trim() === 'No such proxy.') {
      throw new ConfigurationError(`${this.describe()}: HAProxy has no backend "${this.#backend}"; name the backend that routes this service`);
    }
    const rows = new Map(
      parseStat(answer)
        .filter((row) => row.pxname === this.#backend)
        .map((row) => [row.svname!, row]),
    );
    const missing = this.#slots.filter((slot) => !rows.has(slot));
    if (missing.length > 0) {
      const declared = [...rows.keys()].join(', ') || 'no servers';
      throw new ConfigurationError(`${this.describe()}: no server ${missing.join(', ')} to read metrics of; backend ${this.#backend} declares ${declared}`);
    }
    return rows;
  }
}
