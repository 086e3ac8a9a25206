import { errorMessage } from '../errors.ts';
import { formatDuration } from '../inputs/durations.ts';
import type { HealthReport } from '../health/report.ts';
import { containerName, type ReleaseLabels } from '../deploy/release.ts';
import type { RunningRelease } from '../deploy/target.ts';
import type { DeployPorts } from './deploy-ports.ts';
import { gatherEvidence } from '../monitor/container-evidence.ts';
import { DeployFailure } from './deploy-failure.ts';
import { describeRelease, type LiveState } from './live-state.ts';
import { checkRelease, type ReleaseHealthSettings } from './release-health.ts';

export interface StartSettings {
  /** The release to start in the idle colour. */
  labels: ReleaseLabels;
  env: Readonly<Record<string, string>>;
  health: ReleaseHealthSettings;
  healthTimeoutMs: number;
  /** Called between long steps so the environment's lock does not lapse. */
  keepLock(): Promise<void>;
}

export interface StartedRelease {
  release: RunningRelease;
  proof: HealthReport;
  /** The running release the new one replaced in its colour, to start again when the new one is refused later. */
  putBack?: Reinstatement;
}

/** A running release removed from the idle colour, and the env it ran with. */
export interface Reinstatement {
  release: RunningRelease;
  env: Readonly<Record<string, string>>;
}

/**
 * What every strategy does before a release takes traffic: replace whatever sits in the idle colour
 * with it, and prove it healthy on its own port. A release that exits or never becomes healthy is
 * removed, the one it replaced started again, and a DeployFailure says traffic stayed where it was.
 */
export async function startIdleRelease(ports: DeployPorts, state: LiveState, settings: StartSettings): Promise<StartedRelease> {
  const { target, logger } = ports;
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

  // The lease is renewed while the proof runs (a docker call over SSH on a remote host), not before it.
  const [proof] = await Promise.all([checkRelease(ports, release, settings.health, 'prove', settings.healthTimeoutMs), settings.keepLock()]);
  if (!proof.healthy) {
    // Its state, exit code, health log and last lines explain the refusal; read them before it goes.
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
  return { release, proof, ...(putBack ? { putBack } : {}) };
}

/**
 * After a refused release: start again the one it replaced in the idle colour, if it was running,
 * so the instant rollback it offered is not lost to a release that did not keep traffic.
 */
export async function reinstate(ports: DeployPorts, putBack: Reinstatement | undefined): Promise<void> {
  if (!putBack) return;
  const { release: replaced, env } = putBack;
  try {
    await ports.target.start({ labels: replaced.labels, env });
    ports.logger.info(`started ${describeRelease(replaced)} again in the idle ${replaced.labels.colour} slot, for rollback`);
  } catch (error) {
    ports.logger.warning(`could not start ${describeRelease(replaced)} again for rollback: ${errorMessage(error)}`);
  }
}
