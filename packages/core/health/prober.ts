import type { HealthCriteria, SessionSettings } from './criteria.ts';
import type { HealthTarget } from './targets.ts';

/** One target's work for one round, with the limits the session allows it. */
export type ProbePlan = HealthTarget & {
  /** Requests to send (HTTP); other kinds observe once a round. */
  samples: number;
  /** Limit on one request, connection or command. */
  timeoutMs: number;
  /** Limit on the whole target's round: the session deadline. */
  budgetMs: number;
  bodyContains?: string;
  /** Ask Docker for CPU and memory use (container targets with max-cpu or max-memory). */
  resources?: boolean;
};

/** One request or connection. No `error` means a response (HTTP) or a connection (TCP) arrived. */
export interface Sample {
  latencyMs?: number;
  status?: number;
  /** Set when the plan asked for body-contains. */
  bodyMatched?: boolean;
  error?: string;
  /** The host that probed, when several did (a fleet): why the sample failed then starts with its name. */
  host?: string;
}

export interface ContainerState {
  /** Docker's State.Status: running, exited, created, restarting, paused, dead. */
  status: string;
  /** Absent when the image has no HEALTHCHECK. */
  health?: 'starting' | 'healthy' | 'unhealthy';
  /** Output of the latest health check, when it failed. */
  lastCheckOutput?: string;
}

export interface ContainerResources {
  cpuPercent: number;
  memoryPercent: number;
}

export interface PrometheusSeries {
  labels: Record<string, string>;
  /** As Prometheus writes it: a decimal, `NaN`, `+Inf` or `-Inf`. */
  value: string;
}

/** What a prober saw of one target in one round. It describes; the core judges. */
export type Observation =
  | { kind: 'http'; samples: Sample[] }
  | { kind: 'tcp'; samples: Sample[] }
  | { kind: 'container'; state?: ContainerState; resources?: ContainerResources; error?: string; resourcesError?: string }
  | { kind: 'prometheus'; series?: PrometheusSeries[]; error?: string };

/**
 * Probes a round. Resolves one observation per plan, in the same order; a target that cannot be
 * reached is an observation with an error, never a rejection.
 */
export interface Prober {
  probeRound(plans: readonly ProbePlan[]): Promise<Observation[]>;
}

export function planRound(targets: readonly HealthTarget[], criteria: HealthCriteria, session: SessionSettings, budgetMs: number): ProbePlan[] {
  const timeoutMs = Math.max(1, Math.min(session.requestTimeoutMs, budgetMs));
  const resources = criteria.maxCpuPercent !== undefined || criteria.maxMemoryPercent !== undefined;
  return targets.map((target) => ({
    ...target,
    samples: target.kind === 'http' ? criteria.samples : 1,
    timeoutMs,
    budgetMs,
    ...(target.kind === 'http' && criteria.bodyContains !== undefined ? { bodyContains: criteria.bodyContains } : {}),
    ...(target.kind === 'container' && resources ? { resources } : {}),
  }));
}
