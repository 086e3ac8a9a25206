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

interface StreamEntry {
  id: string;
  message: Record<string, string>;
}

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
    const page = (await client.xRevRange(EVENTS_STREAM, end, '-', { COUNT: pageSize })) as StreamEntry[];
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
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- without it the reply's type is too wide to read (any)
  const reply = (await client.xRead({ key: EVENTS_STREAM, id: afterId }, { BLOCK: blockMs, COUNT: PAGE })) as
    { name: string; messages: StreamEntry[] }[] | null;
  const entries = reply?.[0]?.messages ?? [];
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
    const page = (await client.xRange(EVENTS_STREAM, start, '+', { COUNT: PAGE })) as StreamEntry[];
    for (const entry of page) {
      const event = matching(entry, filter);
      if (event) found.push(event);
    }
    if (page.length < PAGE) return found;
    start = `(${page.at(-1)!.id}`;
  }
}

function matching(entry: StreamEntry, filter: EventFilter): DevopsEvent | undefined {
  // The plain fields filter without parsing the JSON of events that are not wanted.
  if (filter.app && entry.message.app !== filter.app) return undefined;
  if (filter.environment && entry.message.environment !== filter.environment) return undefined;
  return decodeEvent(entry.message.event);
}
