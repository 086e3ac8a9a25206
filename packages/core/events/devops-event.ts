/**
 * What the suite broadcasts as it works: one versioned event per step of every action. Sinks (the
 * Redis stream, GitHub Deployments) read these; listeners may rely on every field of a version.
 */
export const EVENT_VERSION = 1;

export const EVENT_TYPES = [
  'deploy.started',
  'deploy.release_started',
  'deploy.healthy',
  'deploy.switched',
  'deploy.succeeded',
  'deploy.unchanged',
  'deploy.switched_back',
  'deploy.failed',
  'canary.started',
  'canary.step',
  'canary.paused',
  'canary.promoted',
  'canary.aborted',
  'rollback.started',
  'rollback.succeeded',
  'rollback.failed',
  'preview.torn_down',
  'health_check.finished',
  'quality_gate.finished',
  'image.built',
  'image.scanned',
  'image.pushed',
  'image.pruned',
  'image.failed',
  'alert.raised',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface DevopsEvent {
  version: typeof EVENT_VERSION;
  type: EventType;
  /** The action that emitted it: deploy-blue-green, rollback, health-check, ... */
  action: string;
  /** One id shared by every event of one action run: joins a deploy's steps, wherever they were read. */
  operation?: string;
  /** ISO 8601 UTC. */
  at: string;
  app?: string;
  environment?: string;
  strategy?: 'direct' | 'blue_green' | 'canary';
  release?: string;
  previousRelease?: string;
  image?: string;
  imageDigest?: string;
  colour?: string;
  /** A canary's share of traffic, in % (`canary.*`): the step's weight, or where it stopped. */
  weight?: number;
  /** How a check ended (`*.finished`, `image.scanned`), for listeners that act on it. */
  outcome?: 'passed' | 'failed';
  /** For people: what happened, or why it failed. */
  message?: string;
  durationMs?: number;
  /** `alert.raised`: what crossed which threshold (see packages/core/monitor/alerts.ts). */
  alert?: { severity: 'warning' | 'critical'; subject: string; metric: string; value: number | string; threshold: number | string };
  /** Who acted (see RunContext.runner) and the run's page, when on GitHub. */
  runner?: string;
  runUrl?: string;
  commit?: string;
}

/** Where events go. emit() never throws: a sink that cannot deliver says so once and carries on. */
export interface EventSink {
  emit(event: DevopsEvent): Promise<void>;
  /** Lets go of connections so the process can exit; for sinks that hold one. */
  close?(): Promise<void>;
}

/** Every sink at once, in order. */
export function fanOut(sinks: readonly EventSink[]): EventSink {
  return {
    async emit(event) {
      for (const sink of sinks) await sink.emit(event);
    },
  };
}

export type EventFields = Omit<DevopsEvent, 'version' | 'type' | 'at' | 'action'>;

/** Stamps events with what every event of one action run shares. */
export function eventStamper(action: string, shared: EventFields, now: () => number): (type: EventType, fields?: EventFields) => DevopsEvent {
  return (type, fields = {}) => ({ version: EVENT_VERSION, type, action, at: new Date(now()).toISOString(), ...shared, ...fields });
}
