import type { Clock } from '../health/clock.ts';
import type { Logger } from '../logger.ts';
import type { DeployPorts } from '../strategies/deploy-ports.ts';
import { checkRelease } from '../strategies/release-health.ts';
import { checkHosts, type BootLimit, type FleetHost } from './fleet-host.ts';
import { FleetProber } from './fleet-prober.ts';
import { FleetRouter } from './fleet-router.ts';
import { FleetTarget, type WaveProof } from './fleet-target.ts';

export interface FleetOptions {
  logger: Logger;
  bootLimit?: BootLimit;
  /** How a wave is proven healthy on its hosts before the next starts; required when the boot limit makes waves. */
  proveWave?: WaveProof;
}

/**
 * The ports a strategy acts through, for a service on several hosts: one Target, Router and Prober
 * standing for all of them. One host gets its own objects back, so a single host behaves exactly as before.
 */
export function fleetPorts(hosts: readonly FleetHost[], options: FleetOptions): Pick<DeployPorts, 'target' | 'router' | 'prober'> {
  checkHosts(hosts);
  if (hosts.length === 1) {
    const [{ target, router, prober }] = hosts as [FleetHost];
    return { target, router, prober };
  }
  return {
    target: new FleetTarget(hosts, options),
    router: new FleetRouter(hosts, options.logger),
    prober: new FleetProber(hosts),
  };
}

/**
 * The wave proof the deploy strategies would give: the release's health path (recorded in its
 * labels) and its container, probed on that host alone until healthy three rounds in a row.
 */
export function releaseProof(ports: { clock: Clock; logger: Logger }, health: { intervalMs: number; timeoutMs: number; fallbackPath: string }): WaveProof {
  return async (host, release) => {
    ports.logger.info(`proving release ${release.labels.release} healthy on ${host.name} before the next wave`);
    const path = release.labels.healthPath ?? health.fallbackPath;
    const report = await checkRelease(
      { prober: host.prober, clock: ports.clock, logger: ports.logger },
      release,
      { path, intervalMs: health.intervalMs },
      'prove',
      health.timeoutMs,
    );
    return { healthy: report.healthy, message: report.message };
  };
}
