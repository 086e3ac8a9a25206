import { errorMessage } from '../errors.ts';
import { formatDuration } from '../inputs/durations.ts';
import type { HealthReport } from '../health/report.ts';
import type { Colour } from '../deploy/release.ts';
import type { RunningRelease } from '../deploy/target.ts';
import type { RoutePlan } from '../routing/router.ts';
import type { DeployPorts } from './deploy-ports.ts';
import { gatherEvidence } from '../monitor/container-evidence.ts';
import { DeployFailure } from './deploy-failure.ts';
import { describeRelease, otherColour, type LiveState } from './live-state.ts';
import { checkRelease, releaseAddress } from './release-health.ts';
import { reinstate, startIdleRelease, type StartSettings } from './start-release.ts';

export interface PromoteSettings extends StartSettings {
  /** Observation after the switch; 0 skips it. */
  observeMs: number;
  /** Why a release that turns unhealthy in the observation keeps the traffic; unset: it is switched back. */
  keepWhenUnhealthy?: string;
}

export interface Promotion {
  release: RunningRelease;
  proof: HealthReport;
  observation?: HealthReport;
}

/** Every slot at 0 but `colour`, which takes all new requests at `address`. */
export function allTrafficTo(colour: Colour, address: string): RoutePlan {
  return { slots: { [colour]: { address, weight: 100 }, [otherColour(colour)]: { weight: 0 } } };
}

/**
 * The heart of blue-green, shared by deploy and rollback: start the release in the idle colour,
 * prove it healthy on its own port, switch all traffic to it, watch it, and switch back when it
 * turns unhealthy (unless keepWhenUnhealthy says why not). Every other failure leaves traffic on the
 * live release (or, when there is none that runs, says so). Each throws a DeployFailure naming what
 * failed and what was done about it.
 */
export async function promoteRelease(ports: DeployPorts, state: LiveState, settings: PromoteSettings): Promise<Promotion> {
  const { target, router, logger } = ports;
  const { live } = state;
  const colour = settings.labels.colour;
  const stays = `traffic stayed on ${describeRelease(live)}`;

  const { release, proof, putBack } = await startIdleRelease(ports, state, settings);
  const id = release.labels.release;
  logger.info(`switching traffic to ${colour} (${releaseAddress(release)})`);
  try {
    await router.apply(allTrafficTo(colour, releaseAddress(release)));
  } catch (error) {
    await restore(ports, live);
    await cleanUp(ports, `remove the refused release ${id}`, async () => {
      await target.remove(release.name);
      await reinstate(ports, putBack);
    });
    throw new DeployFailure(`${router.describe()} refused the switch to release ${release.labels.release}: ${errorMessage(error)}; ${stays}`, live);
  }

  await ports.report?.('deploy.switched', { release: id, colour });
  if (settings.observeMs <= 0) return { release, proof };
  logger.info(`observing release ${release.labels.release} for ${formatDuration(settings.observeMs)}`);
  const [observation] = await Promise.all([checkRelease(ports, release, settings.health, 'watch', settings.observeMs), settings.keepLock()]);
  if (observation.healthy) return { release, proof, observation };

  const what = `release ${release.labels.release} turned unhealthy after the switch: ${observation.message}`;
  const evidence = await gatherEvidence(target, release.name);
  if (!live?.status.running) {
    throw new DeployFailure(`${what}; no earlier release runs to switch back to, so traffic stays on it`, release, evidence);
  }
  if (settings.keepWhenUnhealthy) {
    throw new DeployFailure(
      `${what}; traffic stays on it (${settings.keepWhenUnhealthy}): run rollback to switch back to ${describeRelease(live)}`,
      release,
      evidence,
    );
  }
  await router.apply(allTrafficTo(live.labels.colour, releaseAddress(live)));
  await ports.report?.('deploy.switched_back', { release: live.labels.release, colour: live.labels.colour, message: what });
  // Removed, not kept stopped: a later `rollback` to the idle colour must never find the bad release.
  await target.remove(release.name);
  await reinstate(ports, putBack);
  throw new DeployFailure(`${what}; traffic was switched back to ${describeRelease(live)}`, live, evidence);
}

/**
 * Tidying after a refusal must not hide it: a host that went away while the router refused would
 * otherwise replace the failure (and its "traffic stayed on …") with its own error. Logged instead.
 */
async function cleanUp(ports: DeployPorts, what: string, work: () => Promise<void>): Promise<void> {
  await work().catch((error: unknown) => ports.logger.error(`could not ${what}: ${errorMessage(error)}`));
}

/** After a refused switch: make sure all traffic is on the live release again. */
async function restore(ports: DeployPorts, live: RunningRelease | undefined): Promise<void> {
  if (!live?.status.running) return;
  await ports.router.apply(allTrafficTo(live.labels.colour, releaseAddress(live))).catch((error: unknown) => {
    ports.logger.error(`could not put traffic back on ${describeRelease(live)}: ${errorMessage(error)}`);
  });
}
