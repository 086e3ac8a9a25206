import type { DevopsEvent } from '../events/devops-event.ts';

/** A stretch when a service was down, as the event bus recorded it. */
export interface Incident {
  /** ISO times; `end` is absent while the incident goes on. */
  start: string;
  end?: string;
  durationMs: number;
  cause: string;
}

export interface ServiceAvailability {
  /** `app/environment`, or the action for events of no app (a health-check of plain targets). */
  service: string;
  /** Share of the window not inside an incident, in %. */
  availabilityPercent: number;
  /** Health checks and deploy outcomes seen in the window. */
  observations: number;
  incidents: Incident[];
}

/**
 * When a service goes down and comes back: a failed health check, a failed rollback or a release
 * switched back (down since it took traffic) start an incident; a passing health check or a deploy or
 * rollback that succeeded ends it. Before its first event in the window a service counts as up.
 */
export function availabilityFrom(events: readonly DevopsEvent[], window: { since: number; until: number }): ServiceAvailability[] {
  const byService = new Map<string, DevopsEvent[]>();
  for (const event of events) {
    const service = event.app ? `${event.app}/${event.environment ?? '-'}` : event.action;
    byService.set(service, [...(byService.get(service) ?? []), event]);
  }
  return [...byService.entries()]
    .map(([service, list]) => serviceAvailability(service, list, window))
    .filter((s) => s.observations > 0)
    .sort((a, b) => a.service.localeCompare(b.service));
}

const UP = new Set(['deploy.succeeded', 'deploy.unchanged', 'rollback.succeeded']);

function serviceAvailability(service: string, events: readonly DevopsEvent[], { since, until }: { since: number; until: number }): ServiceAvailability {
  const incidents: Incident[] = [];
  let open: { start: number; cause: string } | undefined;
  let observations = 0;
  const switchedAt = new Map<string, number>();
  const close = (at: number): void => {
    if (!open) return;
    incidents.push({ start: iso(open.start), end: iso(at), durationMs: at - open.start, cause: open.cause });
    open = undefined;
  };
  for (const event of [...events].sort((a, b) => Date.parse(a.at) - Date.parse(b.at))) {
    const at = Math.min(until, Math.max(since, Date.parse(event.at)));
    const cause = `${event.type}${event.message ? `: ${event.message}` : ''}`;
    if (event.type === 'deploy.switched' && event.operation) switchedAt.set(event.operation, at);
    if (event.type === 'health_check.finished') {
      observations++;
      if (event.outcome === 'failed') open ??= { start: at, cause };
      else close(at);
    } else if (event.type === 'deploy.switched_back') {
      // Down from the moment the bad release took traffic until traffic went back.
      observations++;
      const start = (event.operation ? switchedAt.get(event.operation) : undefined) ?? at;
      if (open) close(at);
      else incidents.push({ start: iso(start), end: iso(at), durationMs: at - start, cause });
    } else if (event.type === 'rollback.failed') {
      observations++;
      open ??= { start: at, cause };
    } else if (UP.has(event.type)) {
      observations++;
      close(at);
    }
  }
  if (open) incidents.push({ start: iso(open.start), durationMs: until - open.start, cause: open.cause });
  const down = incidents.reduce((sum, i) => sum + i.durationMs, 0);
  const span = Math.max(1, until - since);
  return { service, availabilityPercent: +(100 * (1 - down / span)).toFixed(3), observations, incidents };
}

const iso = (ms: number): string => new Date(ms).toISOString();
