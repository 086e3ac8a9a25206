import { ActionFailure } from '../errors.ts';
import type { DeployPorts } from '../strategies/deploy-ports.ts';
import { deployDirect, type DirectResult, type DirectSettings } from '../strategies/direct-deploy.ts';
import { withEnvironmentLock } from '../strategies/environment-locking.ts';
import { freePreviewPort, previewAddress, previewNumber, previewsOnHost, previewsToRetire } from './preview-place.ts';
import type { PreviewSites } from './preview-sites.ts';
import { teardownPreview } from './preview-teardown.ts';

/** The environment name whose lock guards port allocation among an app's previews. */
export const PREVIEWS_LOCK = 'previews';

export interface PreviewDeploySettings extends Omit<DirectSettings, 'ports' | 'routed'> {
  range: { first: number; last: number };
  templates: { host: string; url: string };
  maxAgeMs: number;
  maxCount: number;
}

export interface PreviewResult extends DirectResult {
  port: number;
  host: string;
  url: string;
  /** Previews torn down first, with why. */
  retired: { environment: string; why: string }[];
}

/**
 * Deploys a pull request's image as its own environment `pr-<number>`: stale previews and the oldest
 * beyond the limit are torn down first, the preview keeps its port (or takes the lowest free one of
 * the range), its release replaces the previous one in place (no router between them), and its router
 * entry sends the preview's host name to that port. Allocation runs under the app's previews lock, so
 * two previews deployed at once never share a port.
 */
export function deployPreview(settings: PreviewDeploySettings, ports: DeployPorts & { sites: PreviewSites }): Promise<PreviewResult> {
  const number = previewNumber(settings.environment);
  if (number === undefined) throw new ActionFailure(`environment ${settings.environment} is not a preview (pr-<number>)`);
  return withEnvironmentLock(ports, { app: settings.app, environment: PREVIEWS_LOCK, lock: settings.lock }, async () => {
    const { target, logger } = ports;
    const retired: PreviewResult['retired'] = [];
    const previews = previewsOnHost(await target.list({ app: settings.app }));
    for (const { preview, why } of previewsToRetire(previews, settings.environment, ports.clock.now(), settings)) {
      logger.info(`tearing down preview ${preview.environment} (last deployed ${preview.deployedAt}): ${why}`);
      await teardownPreview({ app: settings.app, environment: preview.environment, reason: why, lock: settings.lock }, ports);
      retired.push({ environment: preview.environment, why });
    }
    const all = await target.list({ app: settings.app });
    const own = previewsOnHost(all).find((p) => p.environment === settings.environment)?.port;
    const port = own ?? freePreviewPort(settings.range, all);
    if (port === undefined) {
      throw new ActionFailure(
        `no free preview port in previews.ports ${settings.range.first}-${settings.range.last}: every one is taken by a container of ${settings.app}`,
      );
    }
    const { host, url } = previewAddress(settings.templates, number);
    logger.info(`preview ${settings.environment}: port ${port}${own ? ' (its own)' : ' (lowest free)'}, host ${host}`);
    const result = await deployDirect({ ...settings, ports: { blue: port, green: port }, routed: false }, ports);
    await ports.sites.put({ app: settings.app, environment: settings.environment, host, port });
    return { ...result, port, host, url, retired };
  });
}
