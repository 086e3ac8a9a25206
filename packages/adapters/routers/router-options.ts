import type { Logger } from '../../core/logger.ts';
import type { HostSystem } from '../host/host-system.ts';

export interface RouterOptions {
  logger?: Logger;
  /**
   * How long apply() waits for a raised slot to take traffic in the router's own view (HAProxy's
   * health checks) before it undoes the change and fails. Default 30 s.
   */
  servingTimeoutMs?: number;
  /** The host the router runs on, for its files and commands (nginx, HAProxy's state file). Default: this runner. */
  system?: HostSystem;
}

export const DEFAULT_SERVING_TIMEOUT_MS = 30_000;
