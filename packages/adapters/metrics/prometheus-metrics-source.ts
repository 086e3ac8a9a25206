import type { MetricsReading, MetricsSource, VersionWindow } from '../../core/canary/metrics-source.ts';
import { sampleValue } from '../../core/health/prometheus-checks.ts';
import { counterDeltas } from './counter-deltas.ts';
import { fillQuery, type MetricQueries, type SlotLabels } from './prometheus-metric-queries.ts';
import { queryPrometheus } from './prometheus-query.ts';
import { maskUrlCredentials } from '../../core/url-credentials.ts';

export interface PrometheusMetricsOptions {
  /** The clock a reading is stamped with, and the instant every query of a read is evaluated at. Default Date.now. */
  now?: () => number;
  /** Per query. Default 2 s: a look comes every second or two. */
  timeoutMs?: number;
}

type Counts = { requests: number; errors: number };
const QUANTILES = [
  ['p50', 'p50Ms'],
  ['p95', 'p95Ms'],
  ['p99', 'p99Ms'],
] as const;

/**
 * The canary's windows from Prometheus (queries: prometheus-metric-queries.ts). Every query of a
 * read is evaluated at one instant, so errors and requests agree. Counters are diffed between reads
 * like HAProxy's (a drop is a restart); a series that did not exist when the source opened counts
 * from zero once it appears. After that an empty answer is "no data", never zero: the read is
 * rejected, so a scrape gap or a typo in a label is not mistaken for a slot without traffic.
 */
export class PrometheusMetricsSource implements MetricsSource {
  readonly #url: string;
  readonly #queries: MetricQueries;
  readonly #slots: Readonly<Record<string, SlotLabels>>;
  readonly #now: () => number;
  readonly #timeoutMs: number;
  #previous: Record<string, Partial<Counts>> = {};

  static async open(
    url: string,
    queries: MetricQueries,
    slots: Readonly<Record<string, SlotLabels>>,
    options: PrometheusMetricsOptions = {},
  ): Promise<PrometheusMetricsSource> {
    const source = new PrometheusMetricsSource(url, queries, slots, options);
    const time = source.#now() / 1000;
    const entries = await Promise.all(
      Object.keys(slots).map(async (slot) => {
        const [requests, errors] = await Promise.all([source.#value(slot, 'requests', time), source.#value(slot, 'errors', time)]);
        return [slot, { requests, errors }] as const;
      }),
    );
    source.#previous = Object.fromEntries(entries);
    return source;
  }

  private constructor(url: string, queries: MetricQueries, slots: Readonly<Record<string, SlotLabels>>, options: PrometheusMetricsOptions) {
    this.#url = url;
    this.#queries = queries;
    this.#slots = slots;
    this.#now = options.now ?? Date.now;
    this.#timeoutMs = options.timeoutMs ?? 2_000;
  }

  describe(): string {
    return `Prometheus at ${maskUrlCredentials(this.#url)}`;
  }

  async read(): Promise<MetricsReading> {
    const atMs = this.#now();
    const time = atMs / 1000;
    const read = await Promise.all(Object.keys(this.#slots).map((slot) => this.#readSlot(slot, time)));
    const slots: Record<string, VersionWindow> = {};
    for (const { slot, counts, window } of read) {
      this.#previous[slot] = counts;
      slots[slot] = window;
    }
    return { atMs, slots };
  }

  async #readSlot(slot: string, time: number): Promise<{ slot: string; counts: Counts; window: VersionWindow }> {
    const [requests, errors, ...quantiles] = await Promise.all([
      this.#value(slot, 'requests', time),
      this.#value(slot, 'errors', time),
      ...QUANTILES.map(([name]) => this.#value(slot, name, time)),
    ]);
    if (requests === undefined || errors === undefined) {
      const name = requests === undefined ? 'requests' : 'errors';
      throw new Error(
        `${this.describe()}: the ${name} query for slot ${slot} returned no data (${fillQuery(this.#queries[name], this.#slots[slot]!)}); ` +
          'an empty answer is not read as zero: check the labels, or end the query with "or vector(0)" where none is the truth (e.g. no 5xx yet)',
      );
    }
    const counts = { requests, errors };
    const delta = counterDeltas(this.#previous[slot], counts);
    const summary: Extract<VersionWindow['latency'], { kind: 'summary' }> = { kind: 'summary' };
    QUANTILES.forEach(([, key], index) => {
      const seconds = quantiles[index];
      // No traffic in the quantile's range makes it NaN or empty: unknown, not zero.
      if (seconds !== undefined && Number.isFinite(seconds)) summary[key] = Math.round(seconds * 1_000_000) / 1000;
    });
    const requestsInWindow = Math.round(delta.requests);
    const window: VersionWindow = {
      requests: requestsInWindow,
      errors: Math.min(requestsInWindow, Math.round(delta.errors)),
      latency: Object.keys(summary).length > 1 ? summary : { kind: 'none' },
    };
    return { slot, counts, window };
  }

  /** One slot's value of one query; undefined for no series or no such query. */
  async #value(slot: string, name: keyof MetricQueries, time: number): Promise<number | undefined> {
    const template = this.#queries[name];
    if (template === undefined) return undefined;
    const query = fillQuery(template, this.#slots[slot]!);
    const answer = await queryPrometheus(this.#url, query, { timeoutMs: this.#timeoutMs, time });
    if (answer.error !== undefined) throw new Error(`${this.describe()}: ${name} for slot ${slot} (${query}): ${answer.error}`);
    const series = answer.series ?? [];
    if (series.length > 1) {
      throw new Error(`${this.describe()}: ${name} for slot ${slot} (${query}) returned ${series.length} series; aggregate it to one, e.g. with sum(...)`);
    }
    if (series.length === 0) return undefined;
    const value = sampleValue(series[0]!.value);
    const counter = name === 'requests' || name === 'errors';
    if (counter && !Number.isFinite(value)) throw new Error(`${this.describe()}: ${name} for slot ${slot} (${query}) is ${series[0]!.value}, not a count`);
    return value;
  }
}
