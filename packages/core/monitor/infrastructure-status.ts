import type { Colour } from '../deploy/release.ts';
import type { Alert } from './alerts.ts';
import { uptimeMs } from './uptime.ts';

/** CPU and memory of one container, as `docker stats --no-stream` sampled them. */
export interface ContainerUsage {
  /** % of one core: a container busy on two cores reads 200. */
  cpuPercent: number;
  memoryBytes: number;
  /** The container's limit, or the host's memory when it has none. */
  memoryLimitBytes: number;
  memoryPercent: number;
}

/** One container the suite manages, as the engine reports it (no clock involved). */
export interface ContainerSnapshot {
  name: string;
  id: string;
  /** From the release labels; absent when they do not decode (then `problem` says why). */
  app?: string;
  environment?: string;
  colour?: Colour;
  release?: string;
  image: string;
  problem?: string;
  /** The engine's word: running, restarting, exited, ... */
  state: string;
  health: 'none' | 'starting' | 'healthy' | 'unhealthy';
  /** The last health check's output when it failed. */
  healthLog?: string;
  restarts: number;
  exitCode: number;
  /** ISO time of the last start. */
  startedAt?: string;
  /** Absent for a container that is not running, or when stats could not be read. */
  usage?: ContainerUsage;
}

/** What the suite manages on a host: every container with its release labels, in one read. */
export interface ContainerInventory {
  describe(): string;
  /** Only those of an app and/or environment when given, selected by the engine. */
  managedContainers(selector?: { app?: string; environment?: string }): Promise<ContainerSnapshot[]>;
}

export interface ManagedContainer extends ContainerSnapshot {
  /** Since the last start while running; null when it is not running. */
  uptimeMs: number | null;
}

/** A host's resource use, from node_exporter's metrics. Figures are in % of the whole host. */
export interface HostUsage {
  /** node_exporter's `instance` label, e.g. `127.0.0.1:9100`. */
  instance: string;
  cpuPercent?: number;
  memoryPercent?: number;
  disks: { mountpoint: string; percent: number }[];
}

/** One app's environment: its containers by colour. */
export interface ServiceStatus {
  app: string;
  environment: string;
  containers: number;
  running: number;
  /** Releases that run now, newest deploy last. */
  releases: string[];
  /** `up` when every container runs and none is unhealthy, `degraded` when some do, `down` when none do. */
  state: 'up' | 'degraded' | 'down';
}

export interface InfrastructureStatus {
  at: string;
  scope: MonitorScope;
  services: ServiceStatus[];
  containers: ManagedContainer[];
  hosts: HostUsage[];
  alerts: Alert[];
}

export const MONITOR_SCOPES = ['targets', 'containers', 'host', 'all'] as const;
export type MonitorScope = (typeof MONITOR_SCOPES)[number];

export function coversContainers(scope: MonitorScope): boolean {
  return scope === 'containers' || scope === 'all';
}

export function coversHost(scope: MonitorScope): boolean {
  return scope === 'host' || scope === 'all';
}

/** A container is well when it runs and its own health check, if any, does not say otherwise. */
export function isWell(container: ContainerSnapshot): boolean {
  return container.state === 'running' && container.health !== 'unhealthy';
}

/**
 * Docker's own measure of a restart that took: a container that has run 10 s resets its restart
 * backoff. One that restarted more recently than that is still looping, even when it is caught in
 * the few milliseconds it runs between two crashes.
 */
export const SETTLED_AFTER_RESTART_MS = 10_000;

/** Containers as they are, except that one caught running between crashes reads `restarting`. */
export function withCrashLoops(containers: readonly ContainerSnapshot[], now: number): ContainerSnapshot[] {
  return containers.map((c) => {
    if (c.state !== 'running' || c.restarts === 0) return c;
    const up = uptimeMs(c.startedAt, now);
    return up !== null && up < SETTLED_AFTER_RESTART_MS ? { ...c, state: 'restarting' } : c;
  });
}

export function withUptime(containers: readonly ContainerSnapshot[], now: number): ManagedContainer[] {
  return containers.map((c) => ({ ...c, uptimeMs: c.state === 'running' ? uptimeMs(c.startedAt, now) : null }));
}

/** Containers grouped by app and environment, in name order. Untrusted containers belong to none. */
export function servicesOf(containers: readonly ContainerSnapshot[]): ServiceStatus[] {
  const groups = new Map<string, ContainerSnapshot[]>();
  for (const c of containers) {
    if (!c.app || !c.environment) continue;
    const key = `${c.app}/${c.environment}`;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([, members]) => {
      const running = members.filter(isWell).length;
      const releases = [...new Set(members.filter((m) => m.state === 'running' && m.release).map((m) => m.release!))].sort();
      return {
        app: members[0]!.app!,
        environment: members[0]!.environment!,
        containers: members.length,
        running,
        releases,
        state: running === members.length ? 'up' : running === 0 ? 'down' : 'degraded',
      };
    });
}
