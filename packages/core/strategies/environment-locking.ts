import type { DeployPorts } from './deploy-ports.ts';

export interface LockSettings {
  /** Who holds it, shown to a deploy that waits: e.g. `acme/shop run 4211`. */
  owner: string;
  timeoutMs: number;
}

/**
 * Runs `work` holding the app environment's lock, and lets go whatever happens. The lock renews its
 * own short lease while held, so a run killed while holding it blocks others for a minute at most (at
 * once when it ran on this host or was an earlier attempt of the same GitHub run).
 */
export async function withEnvironmentLock<T>(
  ports: Pick<DeployPorts, 'target' | 'logger'>,
  settings: { app: string; environment: string; lock: LockSettings },
  work: (keepLock: () => Promise<void>) => Promise<T>,
): Promise<T> {
  const lock = ports.target.lock(settings.app, settings.environment);
  await lock.acquire({ owner: settings.lock.owner, timeoutMs: settings.lock.timeoutMs });
  try {
    return await work(() => lock.refresh());
  } finally {
    await lock.release();
  }
}
