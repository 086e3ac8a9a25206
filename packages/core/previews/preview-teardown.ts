import type { DeployPorts } from '../strategies/deploy-ports.ts';
import { withEnvironmentLock, type LockSettings } from '../strategies/environment-locking.ts';
import type { PreviewSites } from './preview-sites.ts';

export interface TeardownSettings {
  app: string;
  /** `pr-<number>`. */
  environment: string;
  reason: string;
  lock: LockSettings;
}

export type PreviewPorts = Pick<DeployPorts, 'target' | 'logger' | 'report'> & { sites: PreviewSites };

/**
 * Removes a preview: its router entry first (no request reaches a container going away), then every
 * container of its environment; the lock goes with the last step. Touches nothing of another environment.
 */
export function teardownPreview(settings: TeardownSettings, ports: PreviewPorts): Promise<{ removed: string[] }> {
  return withEnvironmentLock(ports, settings, async () => {
    const { app, environment } = settings;
    await ports.sites.remove(app, environment);
    const containers = await ports.target.list({ app, environment });
    for (const c of containers) await ports.target.remove(c.name);
    const removed = containers.map((c) => c.name);
    ports.logger.info(
      `preview ${environment} of ${app} torn down (${settings.reason}): ${removed.length ? removed.join(', ') : 'no containers'} removed, router entry gone`,
    );
    await ports.report?.('preview.torn_down', { message: settings.reason });
    return { removed };
  });
}
