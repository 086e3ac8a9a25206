import type { MetricsReading, MetricsSource, VersionWindow } from '../../core/canary/metrics-source.ts';
import { parseAccessLogLine, SIDHE_CANARY_LOG_FORMAT } from './access-log-line.ts';
import { LogTail } from './access-log-tail.ts';

/** Where the log's new lines come from: a local file (LogTail) or one on a remote host (HostLogTail). */
export interface LineTail {
  readonly path: string;
  read(onLine: (line: string) => void): Promise<void>;
  close(): Promise<void>;
}

export interface AccessLogMetricsOptions {
  /** The clock a reading is stamped with. Default Date.now. */
  now?: () => number;
}

/**
 * The canary's windows from an nginx access log in the `sidhe_canary` format (access-log-line.ts):
 * every upstream attempt logged since the previous read, given to the slot whose address it went
 * to. An attempt is an error when the server answered 5xx or nginx got no status from it (a failed
 * connect, a timeout); latency samples are those of the attempts that were not errors, so a canary
 * that fails fast does not look fast. Attempts to addresses that are no slot's are left out.
 */
export class AccessLogMetricsSource implements MetricsSource {
  readonly #tail: LineTail;
  readonly #slotByAddress: Map<string, string>;
  readonly #slots: string[];
  readonly #now: () => number;

  /** `addresses`: slot → the `host:port` its upstream server line has, as `$upstream_addr` writes it. */
  static async open(path: string, addresses: Readonly<Record<string, string>>, options: AccessLogMetricsOptions = {}): Promise<AccessLogMetricsSource> {
    return new AccessLogMetricsSource(await LogTail.open(path), addresses, options);
  }

  /** The same, from lines another tail follows (a log on a remote host). */
  static fromTail(tail: LineTail, addresses: Readonly<Record<string, string>>, options: AccessLogMetricsOptions = {}): AccessLogMetricsSource {
    return new AccessLogMetricsSource(tail, addresses, options);
  }

  private constructor(tail: LineTail, addresses: Readonly<Record<string, string>>, options: AccessLogMetricsOptions) {
    this.#tail = tail;
    this.#slots = Object.keys(addresses);
    this.#slotByAddress = new Map(Object.entries(addresses).map(([slot, address]) => [address, slot]));
    this.#now = options.now ?? Date.now;
  }

  describe(): string {
    return `nginx access log ${this.#tail.path}`;
  }

  async read(): Promise<MetricsReading> {
    const windows = new Map(this.#slots.map((slot) => [slot, { requests: 0, errors: 0, ms: [] as number[] }]));
    let wellFormed = 0;
    let malformed: string | undefined;
    await this.#tail.read((line) => {
      const parsed = parseAccessLogLine(line);
      if (parsed.kind === 'malformed') {
        malformed ??= line;
        return;
      }
      wellFormed++;
      for (const attempt of parsed.attempts) {
        const slot = this.#slotByAddress.get(attempt.address);
        const window = slot === undefined ? undefined : windows.get(slot);
        if (window === undefined) continue;
        window.requests++;
        if (attempt.status === undefined || attempt.status >= 500) window.errors++;
        else if (attempt.ms !== undefined) window.ms.push(attempt.ms);
      }
    });
    // A stray line is skipped; a log with nothing but foreign lines is the wrong log or format.
    if (malformed !== undefined && wellFormed === 0) {
      throw new Error(
        `${this.describe()} has lines that are not in the sidhe_canary format (e.g. ${JSON.stringify(malformed.slice(0, 200))}); ` +
          `write it with log_format sidhe_canary escape=json '${SIDHE_CANARY_LOG_FORMAT}'`,
      );
    }
    const slots: Record<string, VersionWindow> = {};
    for (const [slot, { requests, errors, ms }] of windows) slots[slot] = { requests, errors, latency: { kind: 'samples', ms } };
    return { atMs: this.#now(), slots };
  }

  close(): Promise<void> {
    return this.#tail.close();
  }
}
