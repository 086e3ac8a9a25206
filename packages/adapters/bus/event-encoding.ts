import type { DevopsEvent } from '../../core/events/devops-event.ts';

/** The Redis stream every event is appended to, oldest first. */
export const EVENTS_STREAM = 'sidhe:devops:events';

/**
 * Entries the stream keeps. Trimming is approximate (`MAXLEN ~`), which lets Redis drop whole
 * internal nodes: the stream holds at least this many and at most about a hundred more.
 */
export const STREAM_MAX_LENGTH = 10_000;

const CHANNEL_PREFIX = 'sidhe:devops:';
/** Stands for a missing app or environment in a channel name. */
const NONE = '_';

/** Live listeners' channel: `sidhe:devops:<app>:<environment>`, or `sidhe:devops:_` for events of no app. */
export function eventChannel(app: string | undefined, environment: string | undefined): string {
  return app ? `${CHANNEL_PREFIX}${app}:${environment || NONE}` : `${CHANNEL_PREFIX}${NONE}`;
}

/**
 * A stream entry: the whole event as JSON in `event`, plus the fields a reader filters on without
 * parsing it (`version`, `type`, and `app`, `environment` when the event has them).
 */
export function streamFields(event: DevopsEvent): Record<string, string> {
  return {
    version: String(event.version),
    type: event.type,
    ...(event.app ? { app: event.app } : {}),
    ...(event.environment ? { environment: event.environment } : {}),
    event: JSON.stringify(event),
  };
}

/**
 * The event a stream entry (or a pub/sub message) holds as JSON, or undefined for anything that is
 * not an event: the stream is shared, and a reader skips what it cannot read. Types and versions this
 * build does not know are kept, so an older reader still shows a newer writer's events.
 */
export function decodeEvent(json: string | undefined): DevopsEvent | undefined {
  if (!json) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { version, type, at, action } = value as Record<string, unknown>;
  const isEvent = typeof version === 'number' && typeof type === 'string' && typeof at === 'string' && typeof action === 'string';
  return isEvent ? (value as DevopsEvent) : undefined;
}
