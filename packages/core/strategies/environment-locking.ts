import type { DeployPorts } from './deploy-ports.ts';

export interface LockSettings {
  /** Who holds it, shown to a deploy that waits: e.g. `acme/shop run 4211`. */
  owner: string;
  timeoutMs: number;
}

/**
 * Runs `work` holding the app environment's lock, and lets go whatever happens. The lease lasts
 * ttlMs from each keepLock() call, so a run killed while holding it blocks others no longer than that.
 */
export async function withEnvironmentLock<T>(
  ports: Pick<DeployPorts, 'target' | 'logger'>,
  settings: { app: string; environment: string; lock: LockSettings },
  ttlMs: number,
  work: (keepLock: () => Promise<void>) => Promise<T>,
): Promise<T> {
  const lock = ports.target.lock(settings.app, settings.environment);
  await lock.acquire({ owner: settings.lock.owner, timeoutMs: settings.lock.timeoutMs, ttlMs });
  try {
    return await work(() => lock.refresh());
  } finally {
    await lock.release();
  }
}
