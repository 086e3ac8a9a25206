import type { Redis } from 'ioredis';

export type RedisConnection = Redis;

export interface RedisConnectionOptions {
  connectTimeoutMs: number;
  /** Every error the connection reports, including the loss of it; the connection is unusable after one. */
  onError(error: Error): void;
}

/** Connections being closed on purpose: their end is no error. */
const closing = new WeakSet<RedisConnection>();
/** The first error each connection reported: why it failed to connect (the errors after it follow from it). */
const firstErrors = new WeakMap<RedisConnection, Error>();

/**
 * An ioredis client that fails fast instead of waiting: no automatic reconnection (the caller decides
 * when to try again; a command in flight when the connection drops rejects, so maxRetriesPerRequest
 * never applies), and no offline queue (a command while disconnected rejects at once). Not connected
 * yet: call openConnection(). The library loads on the first call, so a run that configures no Redis
 * never loads it. Its module replaces `exports` with the class, which Node's import() and the bundler's
 * both give as `default`, and which carries itself as `default` again; the named export `Redis` is
 * lost in the bundle.
 */
export async function redisConnection(url: string, options: RedisConnectionOptions): Promise<RedisConnection> {
  const Redis = (await import('ioredis')).default.default;
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: options.connectTimeoutMs,
    enableOfflineQueue: false,
    retryStrategy: () => null,
    // RESP2, the reply shapes redis-event-reader decodes; RESP3 would buy the suite nothing.
    protocol: 2,
    maintNotifications: 'disabled',
  });
  client.on('error', (error: Error) => {
    if (!firstErrors.has(client)) firstErrors.set(client, error);
    options.onError(error);
  });
  // A server that closes the connection cleanly (a restart) emits no error, only the end.
  client.on('end', () => {
    if (!closing.has(client)) options.onError(new Error('connection lost'));
  });
  return client;
}

/**
 * Connects, or rejects with why not (connect ECONNREFUSED, WRONGPASS, connect ETIMEDOUT): ioredis
 * rejects with a bare "Connection is closed." and reports the cause as an error event.
 */
export async function openConnection(client: RedisConnection): Promise<void> {
  try {
    await client.connect();
  } catch (error) {
    throw firstErrors.get(client) ?? error;
  }
}

/** Closes a connection in any state without throwing, waiting at most `timeoutMs` for replies in flight. */
export async function closeConnection(client: RedisConnection, timeoutMs = 1_000): Promise<void> {
  closing.add(client);
  if (client.status === 'ready') await withTimeout(client.quit(), timeoutMs, 'close').catch(() => undefined);
  client.disconnect();
}

/** The promise's result, or a rejection naming `what` once `ms` have passed; the timer never holds the process. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
