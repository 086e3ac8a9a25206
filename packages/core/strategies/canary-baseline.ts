import { errorMessage } from '../errors.ts';
import { formatDuration } from '../inputs/durations.ts';
import { BASELINE_SLOT, baselineContainerName, type ReleaseLabels } from '../deploy/release.ts';
import type { RunningRelease } from '../deploy/target.ts';
import type { RoutePlan } from '../routing/router.ts';
import { gatherEvidence } from '../monitor/container-evidence.ts';
import { DeployFailure } from './deploy-failure.ts';
import type { DeployPorts } from './deploy-ports.ts';
import { describeRelease } from './live-state.ts';
import { checkRelease, releaseAddress, type ReleaseHealthSettings } from './release-health.ts';

/**
 * A baseline takes the canary's weight only while stable can give as much again: up to 50%, with
 * stable at 100 − 2w. A step above 50% has none, and its canary is compared with stable itself.
 */
export const MAX_BASELINE_WEIGHT = 50;

/** The baseline's share at a canary step of `weight` %. */
export function baselineWeight(weight: number): number {
  return weight <= MAX_BASELINE_WEIGHT ? weight : 0;
}

/** The three slots of a step with a baseline: canary w, baseline w (or 0 above 50%), stable the rest. */
export function splitWithBaseline(stable: RunningRelease, canary: RunningRelease, baseline: RunningRelease, weight: number): RoutePlan {
  const beside = baselineWeight(weight);
  return {
    slots: {
      [stable.labels.colour]: { address: releaseAddress(stable), weight: 100 - weight - beside },
      [canary.labels.colour]: { address: releaseAddress(canary), weight },
      [BASELINE_SLOT]: { address: releaseAddress(baseline), weight: beside },
    },
  };
}

/** The labels of a baseline of `stable`: its release and image, on the baseline's own port. */
export function baselineLabels(stable: ReleaseLabels, port: number, now: Date): ReleaseLabels {
  return { ...stable, port, deployedAt: now.toISOString(), role: 'baseline' };
}

export interface BaselineSettings {
  port: number;
  health: ReleaseHealthSettings;
  healthTimeoutMs: number;
}

/**
 * Starts a fresh container of the stable release (its image and env) on the baseline's port and
 * proves it healthy there, after giving the router's baseline slot its address at 0% (so a router
 * without that slot refuses before any container starts). A baseline left by an earlier run is
 * replaced. One that never becomes healthy is removed: traffic stayed on stable, no canary started.
 */
export async function startBaseline(ports: DeployPorts, stable: RunningRelease, settings: BaselineSettings): Promise<RunningRelease> {
  const { target, router, logger, clock } = ports;
  const labels = baselineLabels(stable.labels, settings.port, new Date(clock.now()));
  const name = baselineContainerName(labels.app, labels.environment);
  await router.apply({
    slots: { [stable.labels.colour]: { address: releaseAddress(stable), weight: 100 }, [BASELINE_SLOT]: { address: releaseAddress({ labels }), weight: 0 } },
  });
  await target.remove(name);
  logger.info(`starting a baseline of ${describeRelease(stable)} on port ${settings.port}: the canary is compared with it`);
  const stays = `traffic stayed on ${describeRelease(stable)}; no canary was started`;
  let baseline: RunningRelease;
  try {
    baseline = await target.start({ labels, env: await target.env(stable.name) });
  } catch (error) {
    const evidence = await gatherEvidence(target, name);
    await target.remove(name);
    throw new DeployFailure(`the baseline did not start: ${errorMessage(error)}; ${stays}`, stable, evidence);
  }
  const proof = await checkRelease(ports, baseline, settings.health, 'prove', settings.healthTimeoutMs);
  if (!proof.healthy) {
    const evidence = await gatherEvidence(target, name);
    await target.remove(name);
    throw new DeployFailure(
      `the baseline of ${describeRelease(stable)} did not become healthy within ${formatDuration(settings.healthTimeoutMs)}: ${proof.message}; ${stays}`,
      stable,
      evidence,
    );
  }
  return baseline;
}

/**
 * Removes the baseline container once its slot takes no traffic (promote, abort and pause move its
 * share first). One still taking traffic (the router refused the move) is left for the next run.
 */
export async function removeBaseline(ports: DeployPorts, where: { app: string; environment: string }): Promise<void> {
  const name = baselineContainerName(where.app, where.environment);
  const view = await ports.router.inspect().catch(() => undefined);
  const weight = view?.slots[BASELINE_SLOT]?.weight ?? 0;
  if (!view || weight > 0) {
    ports.logger.warning(
      `the baseline ${name} still takes ${view ? `${weight}%` : 'an unknown share'} of traffic, so it was left running; the next canary run removes it`,
    );
    return;
  }
  if (!(await ports.target.inspect(name))) return;
  ports.logger.info(`removing the baseline ${name}`);
  await ports.target.remove(name);
}
