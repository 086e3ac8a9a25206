import { readEventHistory } from '../../packages/adapters/bus/redis-history.ts';
import { ActionFailure, ConfigurationError, errorMessage } from '../../packages/core/errors.ts';
import type { DevopsEvent } from '../../packages/core/events/devops-event.ts';
import { parseDuration } from '../../packages/core/inputs/index.ts';
import { availabilityFrom } from '../../packages/core/monitor/availability.ts';
import type { History } from './status-summary.ts';

/** The `since` input of status and health-check: a window of at least a minute, read from the event bus. */
export function readWindowInput(since: string, redisUrl: string): number | undefined {
  if (since === '') return undefined;
  const windowMs = parseDuration('since', since, { minMs: 60_000 });
  if (!redisUrl) throw new ConfigurationError('since: the history comes from the event bus; give events-redis-url or set devops_automator.events.redis_url');
  return windowMs;
}

/** Availability per service over the window ending now, from the events on the bus (health checks, deploys, rollbacks). */
export async function readAvailabilityWindow(
  redisUrl: string,
  windowMs: number,
  scope: { app: string; environment: string },
): Promise<{ history: History; events: DevopsEvent[] }> {
  const until = Date.now();
  const since = until - windowMs;
  const filter = { ...(scope.app ? { app: scope.app } : {}), ...(scope.environment ? { environment: scope.environment } : {}) };
  let events;
  try {
    events = await readEventHistory(redisUrl, since, filter);
  } catch (error) {
    throw new ActionFailure(`since: ${errorMessage(error)}`);
  }
  return {
    events,
    history: { since: new Date(since).toISOString(), until: new Date(until).toISOString(), services: availabilityFrom(events, { since, until }) },
  };
}
