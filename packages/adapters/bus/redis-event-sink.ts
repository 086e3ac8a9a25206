import { errorMessage } from '../../core/errors.ts';
import type { DevopsEvent, EventSink } from '../../core/events/devops-event.ts';
import type { Logger } from '../../core/logger.ts';
import { EVENTS_STREAM, STREAM_MAX_LENGTH, eventChannel, streamFields } from './event-encoding.ts';
import { closeConnection, openConnection, redisConnection, withTimeout, type RedisConnection } from './redis-connection.ts';
import { maskUrlCredentials } from '../../core/url-credentials.ts';

export interface RedisEventSinkOptions {
  url: string;
  logger: Logger;
  /** How long connecting may take; the first event waits for it once. Default 2 s. */
  connectTimeoutMs?: number;
  /** How long one event may take to deliver before Redis counts as down. Default 2 s. */
  commandTimeoutMs?: number;
  /** Pause between attempts to reconnect while Redis is down. Default 1 s. */
  retryIntervalMs?: number;
}

/**
 * Appends each event to the `sidhe:devops:events` stream (trimmed to about STREAM_MAX_LENGTH) and
 * publishes it on the app's channel, in one MULTI so a listener never sees one without the other.
 *
 * Redis is a spectator, never a reason to fail: while it is unreachable events are dropped, a single
 * warning says so, and a background timer (which never holds the process open) reconnects, after which
 * events flow again. Connecting starts at construction; close() when done so the process can exit.
 */
export class RedisEventSink implements EventSink {
  readonly #url: string;
  readonly #where: string;
  readonly #logger: Logger;
  readonly #connectTimeoutMs: number;
  readonly #commandTimeoutMs: number;
  readonly #retryIntervalMs: number;
  /** Connected and usable; undefined while down. */
  #client: RedisConnection | undefined;
  /** Being connected; undefined when no attempt is in flight. */
  #pending: RedisConnection | undefined;
  #attempt: Promise<void> | undefined;
  readonly #firstAttempt: Promise<void>;
  #retryTimer: NodeJS.Timeout | undefined;
  #warned = false;
  #down = false;
  #dropped = 0;
  #closed = false;

  constructor(options: RedisEventSinkOptions) {
    this.#url = options.url;
    this.#where = maskUrlCredentials(options.url);
    this.#logger = options.logger;
    this.#connectTimeoutMs = options.connectTimeoutMs ?? 2_000;
    this.#commandTimeoutMs = options.commandTimeoutMs ?? 2_000;
    this.#retryIntervalMs = options.retryIntervalMs ?? 1_000;
    this.#firstAttempt = this.#connect();
  }

  async emit(event: DevopsEvent): Promise<void> {
    if (this.#closed) return;
    await this.#firstAttempt;
    const client = this.#client;
    if (!client) return this.#drop(event);
    const json = JSON.stringify(event);
    const delivery = client
      .multi()
      .xadd(EVENTS_STREAM, 'MAXLEN', '~', STREAM_MAX_LENGTH, '*', ...Object.entries(streamFields(event)).flat())
      .publish(eventChannel(event.app, event.environment), json)
      .exec()
      .then(failedReply);
    try {
      await withTimeout(delivery, this.#commandTimeoutMs, `XADD ${EVENTS_STREAM}`);
    } catch (error) {
      this.#lost(client, error);
      this.#drop(event);
    }
  }

  /** Stops reconnecting and closes the connection, so nothing of the sink keeps the process alive. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#retryTimer);
    // An attempt in flight ends within the connect timeout and closes what it opened (see #connect).
    await this.#attempt;
    const client = this.#client;
    this.#client = undefined;
    if (client) await closeConnection(client);
    if (this.#dropped > 0) this.#logger.info(`events: ${this.#dropped} event(s) were not delivered to Redis at ${this.#where}`);
  }

  #connect(): Promise<void> {
    this.#attempt = this.#open().finally(() => {
      this.#pending = undefined;
      this.#attempt = undefined;
    });
    return this.#attempt;
  }

  async #open(): Promise<void> {
    const client: RedisConnection = await redisConnection(this.#url, {
      connectTimeoutMs: this.#connectTimeoutMs,
      onError: (error) => this.#lost(client, error),
    });
    this.#pending = client;
    try {
      await openConnection(client);
    } catch (error) {
      return this.#lost(client, error);
    }
    if (this.#closed) return closeConnection(client);
    this.#client = client;
    if (this.#down) {
      this.#down = false;
      this.#logger.info(`events: Redis at ${this.#where} is reachable again; delivering events`);
    }
  }

  /** The connection failed or broke: forget it, say so once, and try again later. */
  #lost(client: RedisConnection, error: unknown): void {
    void closeConnection(client, 0);
    // Late errors of a connection already given up on change nothing.
    if (client !== this.#client && client !== this.#pending) return;
    if (this.#client === client) this.#client = undefined;
    if (this.#closed) return;
    this.#down = true;
    if (!this.#warned) {
      this.#warned = true;
      this.#logger.warning(
        `events: Redis at ${this.#where} is unreachable (${errorMessage(error) || 'connection lost'}); the action carries on, and events are dropped until Redis is back`,
      );
    }
    this.#scheduleRetry();
  }

  #scheduleRetry(): void {
    if (this.#retryTimer) return;
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      // An attempt in flight reschedules itself if it fails.
      if (this.#closed || this.#client || this.#attempt) return;
      void this.#connect();
    }, this.#retryIntervalMs);
    this.#retryTimer.unref();
  }

  #drop(event: DevopsEvent): void {
    this.#dropped++;
    this.#logger.debug(`events: ${event.type} not delivered, Redis at ${this.#where} is down`);
  }
}

/** ioredis resolves a transaction with each command's error or reply: the first error fails the delivery. */
function failedReply(replies: [Error | null, unknown][] | null): void {
  const failed = replies?.find(([error]) => error)?.[0];
  if (failed) throw failed;
}
