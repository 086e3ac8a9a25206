import { errorMessage } from '../../core/errors.ts';
import type { DevopsEvent } from '../../core/events/devops-event.ts';
import { closeConnection, openConnection, redisConnection } from './redis-connection.ts';
import { eventsSince, type EventFilter } from './redis-event-reader.ts';
import { maskUrlCredentials } from '../../core/url-credentials.ts';

const CONNECT_TIMEOUT_MS = 3_000;

/** The stream's events since `sinceMs`, oldest first: one connection, read and closed. Throws naming Redis when it cannot be read. */
export async function readEventHistory(url: string, sinceMs: number, filter: EventFilter): Promise<DevopsEvent[]> {
  const client = await redisConnection(url, { connectTimeoutMs: CONNECT_TIMEOUT_MS, onError: () => undefined });
  try {
    await openConnection(client);
    return await eventsSince(client, sinceMs, filter);
  } catch (error) {
    throw new Error(`cannot read the event stream at ${maskUrlCredentials(url)}: ${errorMessage(error)}`, { cause: error });
  } finally {
    await closeConnection(client);
  }
}
