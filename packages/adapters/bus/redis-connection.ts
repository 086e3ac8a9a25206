import type { createClient } from '@redis/client';

export interface RedisConnectionOptions {
  connectTimeoutMs: number;
  /** Every error the connection reports, including the loss of it; the connection is unusable after one. */
  onError(error: Error): void;
}

function configuredClient(create: typeof createClient, url: string, options: RedisConnectionOptions) {
  return create({
    url,
    disableOfflineQueue: true,
    maintNotifications: 'disabled',
    socket: { connectTimeout: options.connectTimeoutMs, reconnectStrategy: false },
  });
}

export type RedisConnection = ReturnType<typeof configuredClient>;

/**
 * node-redis's client alone: the package's entry also loads cluster, sentinel, multi-db and pool code
 * the suite never uses (a quarter of its 1.5 MB of source). The module is CommonJS with
 * `exports.default`, which Node's import() puts at `.default.default` and the bundler at `.default`.
 */
async function loadCreateClient(): Promise<typeof createClient> {
  const loaded = await import('@redis/client/dist/lib/client/index.js');
  const RedisClient = loaded.default.default ?? (loaded.default as unknown as typeof loaded.default.default);
  return RedisClient.create;
}

/**
 * A node-redis client that fails fast instead of waiting: no automatic reconnection (the caller
 * decides when to try again) and no offline queue (a command while disconnected rejects at once).
 * Not connected yet: call connect(). The client library loads on the first call, so a run that
 * configures no Redis never loads it.
 */
export async function redisConnection(url: string, options: RedisConnectionOptions): Promise<RedisConnection> {
  const client = configuredClient(await loadCreateClient(), url, options);
  client.on('error', options.onError);
  return client;
}

/** Closes a connection in any state without throwing, waiting at most `timeoutMs` for replies in flight. */
export async function closeConnection(client: RedisConnection, timeoutMs = 1_000): Promise<void> {
  if (client.isOpen) await withTimeout(client.close(), timeoutMs, 'close').catch(() => undefined);
  try {
    client.destroy();
  } catch {
    // Already closed.
  }
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
