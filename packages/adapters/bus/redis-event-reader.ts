import type { DevopsEvent } from '../../core/events/devops-event.ts';
import { EVENTS_STREAM, decodeEvent } from './event-encoding.ts';
import type { RedisConnection } from './redis-connection.ts';

/** Events of one app and/or environment; an empty filter takes every event. */
export interface EventFilter {
  app?: string;
  environment?: string;
}

export interface StreamRead {
  /** Oldest first. */
  events: DevopsEvent[];
  /** The newest entry id seen, matching or not: where the next read goes on from. */
  lastId: string;
}

export interface StreamEntry {
  id: string;
  message: Record<string, string>;
}

/** An entry as XRANGE, XREVRANGE and XREAD reply it: the id, then field and value in turn. */
type RawEntry = [id: string, fields: string[]];

/** Before any entry: reading after it starts at the beginning of the stream. */
export const STREAM_START = '0-0';
const PAGE = 500;

/**
 * The newest `count` events that match, scanning back from the end of the stream; with `count` 0 only
 * where the stream ends, for a reader that wants new events only.
 */
export async function recentEvents(client: RedisConnection, count: number, filter: EventFilter): Promise<StreamRead> {
  const found: DevopsEvent[] = [];
  let lastId = STREAM_START;
  let end = '+';
  const pageSize = count === 0 ? 1 : PAGE;
  for (;;) {
    const page = streamEntries(await client.xrevrange(EVENTS_STREAM, end, '-', 'COUNT', pageSize));
    if (page.length === 0) break;
    if (lastId === STREAM_START) lastId = page[0]!.id;
    for (const entry of page) {
      if (found.length === count) break;
      const event = matching(entry, filter);
      if (event) found.push(event);
    }
    if (found.length === count || page.length < pageSize) break;
    end = `(${page.at(-1)!.id}`;
  }
  return { events: found.reverse(), lastId };
}

/** Entries after `afterId`, waiting up to `blockMs` for the first; none when the wait ran out. */
export async function eventsAfter(client: RedisConnection, afterId: string, filter: EventFilter, blockMs: number): Promise<StreamRead> {
  const reply = await client.xread('COUNT', PAGE, 'BLOCK', blockMs, 'STREAMS', EVENTS_STREAM, afterId);
  const entries = streamEntries(reply?.[0]?.[1] ?? []);
  return {
    events: entries.flatMap((entry) => matching(entry, filter) ?? []),
    lastId: entries.at(-1)?.id ?? afterId,
  };
}

/** Every matching event appended at or after `sinceMs` (stream ids start with their time), oldest first. */
export async function eventsSince(client: RedisConnection, sinceMs: number, filter: EventFilter): Promise<DevopsEvent[]> {
  const found: DevopsEvent[] = [];
  let start = `${Math.max(0, Math.floor(sinceMs))}-0`;
  for (;;) {
    const page = streamEntries(await client.xrange(EVENTS_STREAM, start, '+', 'COUNT', PAGE));
    for (const entry of page) {
      const event = matching(entry, filter);
      if (event) found.push(event);
    }
    if (page.length < PAGE) return found;
    start = `(${page.at(-1)!.id}`;
  }
}

/** The entries of a reply, each with its fields as an object. */
export function streamEntries(reply: readonly RawEntry[]): StreamEntry[] {
  return reply.map(([id, fields]) => {
    const message: Record<string, string> = {};
    for (let i = 0; i + 1 < fields.length; i += 2) message[fields[i]!] = fields[i + 1]!;
    return { id, message };
  });
}

function matching(entry: StreamEntry, filter: EventFilter): DevopsEvent | undefined {
  // The plain fields filter without parsing the JSON of events that are not wanted.
  if (filter.app && entry.message.app !== filter.app) return undefined;
  if (filter.environment && entry.message.environment !== filter.environment) return undefined;
  return decodeEvent(entry.message.event);
}
