import type { StatusRange } from '../inputs/index.ts';

/** What every target must meet in a round to count that round as healthy. */
export interface HealthCriteria {
  expectedStatus: StatusRange[];
  /** A sample whose body lacks this text fails. */
  bodyContains?: string;
  /** Requests to each HTTP target per round. */
  samples: number;
  maxLatencyP95Ms?: number;
  /** Share of a round's samples that must succeed, 0–100. */
  minSuccessRate: number;
  /** Docker stats limits for container targets, in percent. */
  maxCpuPercent?: number;
  maxMemoryPercent?: number;
}

/** How long and how often a session probes. */
export interface SessionSettings {
  timeoutMs: number;
  intervalMs: number;
  /** Consecutive healthy rounds that prove the targets healthy. */
  requiredSuccesses: number;
  /** Limit on one request, connection or command; the session deadline also bounds it. */
  requestTimeoutMs: number;
  /**
   * Watch instead of prove: probe until the timeout, healthy only if every round was, and stop at the
   * first unhealthy round (a deploy's observation window after the switch). requiredSuccesses is unused.
   */
  watch?: boolean;
}

export const DEFAULT_CRITERIA: HealthCriteria = {
  expectedStatus: [{ min: 200, max: 399 }],
  samples: 5,
  minSuccessRate: 100,
};

export const DEFAULT_SESSION: SessionSettings = {
  timeoutMs: 5 * 60_000,
  intervalMs: 5_000,
  requiredSuccesses: 3,
  requestTimeoutMs: 10_000,
};
