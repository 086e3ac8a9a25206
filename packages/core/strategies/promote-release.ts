import { errorMessage } from '../errors.ts';
import { formatDuration } from '../inputs/durations.ts';
import type { HealthReport } from '../health/report.ts';
import { containerName, type Colour, type ReleaseLabels } from '../deploy/release.ts';
import type { RunningRelease } from '../deploy/target.ts';
import type { RoutePlan } from '../routing/router.ts';
import type { DeployPorts } from './deploy-ports.ts';
import { DeployFailure } from './deploy-failure.ts';
import { describeRelease, otherColour, type LiveState } from './live-state.ts';
import { checkRelease, releaseAddress, type ReleaseHealthSettings } from './release-health.ts';
import { gatherEvidence } from '../monitor/container-evidence.ts';

export interface PromoteSettings {
  /** The release to start in the idle colour. */
  labels: ReleaseLabels;
  env: Readonly<Record<string, string>>;
  health: ReleaseHealthSettings;
  healthTimeoutMs: number;
  /** Observation after the switch; 0 skips it. */
  observeMs: number;
  /** Called between long steps so the environment's lock does not lapse. */
  keepLock(): Promise<void>;
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
 * turns unhealthy. Every failure leaves traffic on the live release (or, when there is none that
 * runs, says so) and throws a DeployFailure naming what failed and what was done about it.
 */
export async function promoteRelease(ports: DeployPorts, state: LiveState, settings: PromoteSettings): Promise<Promotion> {
  const { target, router, logger } = ports;
  const { live } = state;
  const colour = settings.labels.colour;
  const stays = `traffic stayed on ${describeRelease(live)}`;

  const replaced = state.byColour[colour];
  let putBack: Reinstatement | undefined;
  if (replaced) {
    // Read before it goes: a release put back after a refusal runs with its own env, not the new one's.
    if (replaced.status.running) putBack = { release: replaced, env: await target.env(replaced.name) };
    logger.info(`removing ${describeRelease(replaced)} from the idle ${colour} slot`);
    await target.remove(replaced.name);
  }

  logger.info(`starting release ${settings.labels.release} (${settings.labels.image}) in ${colour} on port ${settings.labels.port}`);
  const { release: id, image, imageDigest, previousRelease } = settings.labels;
  await ports.report?.('deploy.release_started', { release: id, colour, image, imageDigest, ...(previousRelease ? { previousRelease } : {}) });
  let release: RunningRelease;
  try {
    release = await target.start({ labels: settings.labels, env: settings.env });
  } catch (error) {
    // A container that exited at start is kept by start() for its logs, which the error quotes.
    const name = containerName(settings.labels.app, settings.labels.environment, colour);
    const evidence = await gatherEvidence(target, name);
    await target.remove(name);
    await reinstate(ports, putBack);
    throw new DeployFailure(`${errorMessage(error)}; ${stays}`, live, evidence);
  }

  await settings.keepLock();
  const proof = await checkRelease(ports, release, settings.health, 'prove', settings.healthTimeoutMs);
  if (!proof.healthy) {
    const evidence = await gatherEvidence(target, release.name);
    await target.remove(release.name);
    await reinstate(ports, putBack);
    throw new DeployFailure(
      `release ${release.labels.release} did not become healthy within ${formatDuration(settings.healthTimeoutMs)}: ${proof.message}; ${stays}; the new container was removed`,
      live,
      evidence,
    );
  }

  await ports.report?.('deploy.healthy', { release: id, colour, message: proof.message });
  logger.info(`switching traffic to ${colour} (${releaseAddress(release)})`);
  try {
    await router.apply(allTrafficTo(colour, releaseAddress(release)));
  } catch (error) {
    await restore(ports, live);
    await target.remove(release.name);
    await reinstate(ports, putBack);
    throw new DeployFailure(`${router.describe()} refused the switch to release ${release.labels.release}: ${errorMessage(error)}; ${stays}`, live);
  }

  await ports.report?.('deploy.switched', { release: id, colour });
  if (settings.observeMs <= 0) return { release, proof };
  await settings.keepLock();
  logger.info(`observing release ${release.labels.release} for ${formatDuration(settings.observeMs)}`);
  const observation = await checkRelease(ports, release, settings.health, 'watch', settings.observeMs);
  if (observation.healthy) return { release, proof, observation };

  const what = `release ${release.labels.release} turned unhealthy after the switch: ${observation.message}`;
  const evidence = await gatherEvidence(target, release.name);
  if (!live?.status.running) {
    throw new DeployFailure(`${what}; no earlier release runs to switch back to, so traffic stays on it`, release, evidence);
  }
  await router.apply(allTrafficTo(live.labels.colour, releaseAddress(live)));
  await ports.report?.('deploy.switched_back', { release: live.labels.release, colour: live.labels.colour, message: what });
  // Removed, not kept stopped: a later `rollback` to the idle colour must never find the bad release.
  await target.remove(release.name);
  await reinstate(ports, putBack);
  throw new DeployFailure(`${what}; traffic was switched back to ${describeRelease(live)}`, live, evidence);
}

/** After a refused switch: make sure all traffic is on the live release again. */
async function restore(ports: DeployPorts, live: RunningRelease | undefined): Promise<void> {
  if (!live?.status.running) return;
  await ports.router.apply(allTrafficTo(live.labels.colour, releaseAddress(live))).catch((error: unknown) => {
    ports.logger.error(`could not put traffic back on ${describeRelease(live)}: ${errorMessage(error)}`);
  });
}

/** A running release removed from the idle colour, and the env it ran with. */
interface Reinstatement {
  release: RunningRelease;
  env: Readonly<Record<string, string>>;
}

/**
 * After a refused release: start again the one it replaced in the idle colour, if it was running,
 * so the instant rollback it offered is not lost to a release that never took traffic.
 */
async function reinstate(ports: DeployPorts, putBack: Reinstatement | undefined): Promise<void> {
  if (!putBack) return;
  const { release: replaced, env } = putBack;
  try {
    await ports.target.start({ labels: replaced.labels, env });
    ports.logger.info(`started ${describeRelease(replaced)} again in the idle ${replaced.labels.colour} slot, for rollback`);
  } catch (error) {
    ports.logger.warning(`could not start ${describeRelease(replaced)} again for rollback: ${errorMessage(error)}`);
  }
}
