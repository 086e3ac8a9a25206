import { formatDuration } from '../inputs/durations.ts';
import type { HealthReport } from '../health/report.ts';
import { envFingerprint } from '../deploy/env-fingerprint.ts';
import { newReleaseLabels, type DeploySettings } from './new-release.ts';
import type { RunningRelease } from '../deploy/target.ts';
import type { DeployPorts } from './deploy-ports.ts';
import { reportFailure } from './report-failure.ts';
import { withEnvironmentLock } from './environment-locking.ts';
import { describeRelease, readLiveState } from './live-state.ts';
import { allTrafficTo, promoteRelease } from './promote-release.ts';
import { releaseAddress } from './release-health.ts';

export interface BlueGreenSettings extends DeploySettings {
  switchDelayMs: number;
  /** Why a release that turns unhealthy after the switch keeps the traffic (switchBackRefusal); unset: switched back. */
  keepWhenUnhealthy?: string;
  keepPrevious: boolean;
}

export interface BlueGreenResult {
  outcome: 'deployed' | 'unchanged';
  active: RunningRelease;
  previous?: RunningRelease;
  durationMs: number;
  proof?: HealthReport;
  observation?: HealthReport;
}

/**
 * A blue-green deploy: under the environment's lock, read what serves now from the router and the
 * host, and promote the new image in the idle colour. Re-deploying the live image changes nothing
 * but a half-finished switch left by a killed run, which it completes.
 */
export function deployBlueGreen(settings: BlueGreenSettings, ports: DeployPorts): Promise<BlueGreenResult> {
  const started = ports.clock.now();
  const work = withEnvironmentLock(ports, settings, async (keepLock): Promise<BlueGreenResult> => {
    const { target, router, logger } = ports;
    await ports.report?.('deploy.started', { image: settings.image });
    await target.pull(settings.image);
    const digest = await target.imageDigest(settings.image);
    const [view, containers] = await Promise.all([router.inspect(), target.list(settings)]);
    const state = readLiveState(view, containers);
    const { live } = state;
    logger.info(`serving now: ${describeRelease(live)}`);

    // A run killed mid-switch can leave both colours taking traffic: put it all on the live one first,
    // so nothing still serving is replaced below.
    const halfSwitched = view.slots[state.idleColour]?.weight ?? 0;
    if (live?.status.running && (halfSwitched > 0 || view.slots[live.labels.colour]?.weight !== 100)) {
      logger.info(`completing a half-finished switch: all traffic to ${describeRelease(live)}`);
      await router.apply(allTrafficTo(live.labels.colour, releaseAddress(live)));
    }

    // The same image with another env (a rotated secret) is a new release; a release recorded before
    // env hashes existed reads as one without env.
    const envHash = envFingerprint(settings.env);
    if (live?.status.running && live.labels.imageDigest === digest && (live.labels.envHash ?? envFingerprint({})) === envHash) {
      logger.info(`${describeRelease(live)} already runs ${settings.image} with this env: nothing to deploy`);
      await ports.report?.('deploy.unchanged', { release: live.labels.release, colour: live.labels.colour, image: settings.image });
      return { outcome: 'unchanged', active: live, previous: state.byColour[state.idleColour], durationMs: ports.clock.now() - started };
    }

    const now = new Date(ports.clock.now());
    const colour = state.idleColour;
    const promotion = await promoteRelease(ports, state, {
      labels: newReleaseLabels(settings, { colour, imageDigest: digest, envHash, now, replacing: live }),
      env: settings.env,
      health: settings.health,
      healthTimeoutMs: settings.healthTimeoutMs,
      observeMs: settings.switchDelayMs,
      ...(settings.keepWhenUnhealthy ? { keepWhenUnhealthy: settings.keepWhenUnhealthy } : {}),
      keepLock,
    });

    if (live && !settings.keepPrevious) {
      // Stopped, not removed: its labels stay on the host, so rollback can restart it.
      logger.info(`stopping ${describeRelease(live)} (keep-previous is false)`);
      await target.stop(live.name, { graceMs: 10_000 });
    }
    const durationMs = ports.clock.now() - started;
    logger.info(`release ${promotion.release.labels.release} serves ${settings.app} ${settings.environment} (deploy took ${formatDuration(durationMs)})`);
    const { release, colour: liveColour, imageDigest, previousRelease } = promotion.release.labels;
    await ports.report?.('deploy.succeeded', {
      release,
      colour: liveColour,
      image: settings.image,
      imageDigest,
      durationMs,
      ...(previousRelease ? { previousRelease } : {}),
    });
    return { outcome: 'deployed', active: promotion.release, previous: live, durationMs, proof: promotion.proof, observation: promotion.observation };
  });
  return reportFailure(ports, 'deploy.failed', work);
}
