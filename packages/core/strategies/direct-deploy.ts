import { errorMessage } from '../errors.ts';
import { formatDuration } from '../inputs/durations.ts';
import type { HealthReport } from '../health/report.ts';
import { envFingerprint } from '../deploy/env-fingerprint.ts';
import { containerName, releaseId, type ReleaseLabels } from '../deploy/release.ts';
import type { ReleaseContainer, RunningRelease } from '../deploy/target.ts';
import type { DeployPorts } from './deploy-ports.ts';
import { DeployFailure } from './deploy-failure.ts';
import { reportFailure } from './report-failure.ts';
import { withEnvironmentLock } from './environment-locking.ts';
import { describeRelease, otherColour, readLiveState } from './live-state.ts';
import { promoteRelease } from './promote-release.ts';
import { checkRelease } from './release-health.ts';
import type { DeploySettings } from './new-release.ts';

/** `ports`: with a router, each colour's port; without one, every release listens on the blue (first) port. */
export interface DirectSettings extends DeploySettings {
  /** False: no router in front (`router: none`), so the old release stops before the new one starts. */
  routed: boolean;
  /** Observation once the new release serves; 0 skips it. */
  observeMs: number;
}

export interface DirectResult {
  outcome: 'deployed' | 'unchanged';
  active: RunningRelease;
  previous?: RunningRelease;
  durationMs: number;
  /** Without a router: from stopping the old release to the new one's first healthy answer. */
  unreachableMs?: number;
  proof?: HealthReport;
}

/** Probe rounds while nothing serves, so the unreachable window is measured to a tenth of a second. */
const UNREACHABLE_PROBE_MS = 100;

/**
 * A direct deploy replaces the release in place and keeps no instant rollback. With a router: the new
 * release starts in the idle colour, is proven healthy, takes all traffic, and the old one is stopped
 * (kept, stopped, for its labels and env: rollback restarts it). Without one: the old release stops,
 * the new one starts on the same port, and the time nothing answered is measured. A new release that
 * is not healthy is removed and the previous one serves again.
 */
export function deployDirect(settings: DirectSettings, ports: DeployPorts): Promise<DirectResult> {
  const started = ports.clock.now();
  const work = withEnvironmentLock(ports, settings, async (keepLock): Promise<DirectResult> => {
    const { target, logger } = ports;
    await ports.report?.('deploy.started', { image: settings.image });
    await target.pull(settings.image);
    const digest = await target.imageDigest(settings.image);
    const containers = await target.list(settings);
    const state = settings.routed ? readLiveState(await ports.router.inspect(), containers) : undefined;
    const live = state ? state.live : newestRunning(containers.filter((c): c is RunningRelease => c.trusted && c.labels.role !== 'baseline'));
    logger.info(`serving now: ${describeRelease(live)}`);

    const envHash = envFingerprint(settings.env);
    if (live?.status.running && live.labels.imageDigest === digest && (live.labels.envHash ?? envFingerprint({})) === envHash) {
      logger.info(`${describeRelease(live)} already runs ${settings.image} with this env: nothing to deploy`);
      await ports.report?.('deploy.unchanged', { release: live.labels.release, colour: live.labels.colour, image: settings.image });
      return { outcome: 'unchanged', active: live, durationMs: ports.clock.now() - started };
    }

    const now = new Date(ports.clock.now());
    const colour = state ? state.idleColour : live ? otherColour(live.labels.colour) : 'blue';
    const labels: ReleaseLabels = {
      app: settings.app,
      environment: settings.environment,
      colour,
      release: releaseId(now, digest),
      image: settings.image,
      imageDigest: digest,
      deployedAt: now.toISOString(),
      port: settings.routed ? settings.ports[colour] : settings.ports.blue,
      envHash,
      healthPath: settings.health.path,
      ...(settings.commit ? { commit: settings.commit } : {}),
      ...(settings.actor ? { actor: settings.actor } : {}),
      ...(live ? { previousRelease: live.labels.release, previousImage: live.labels.image } : {}),
    };

    let active: RunningRelease;
    let proof: HealthReport;
    let unreachableMs: number | undefined;
    if (state) {
      const promotion = await promoteRelease(ports, state, {
        labels,
        env: settings.env,
        health: settings.health,
        healthTimeoutMs: settings.healthTimeoutMs,
        observeMs: settings.observeMs,
        keepLock,
      });
      ({ release: active, proof } = promotion);
      if (live) {
        // Stopped, not removed: its labels and env stay on the host, so rollback can restart it.
        logger.info(`stopping ${describeRelease(live)}: a direct deploy keeps no instant rollback`);
        await target.stop(live.name, { graceMs: 10_000 });
      }
    } else {
      ({ active, proof, unreachableMs } = await replaceInPlace(ports, settings, labels, live, containers, keepLock));
    }

    const durationMs = ports.clock.now() - started;
    const window = unreachableMs === undefined ? '' : `; unreachable for ${unreachableMs} ms`;
    logger.info(`release ${active.labels.release} serves ${settings.app} ${settings.environment} (deploy took ${formatDuration(durationMs)}${window})`);
    await ports.report?.('deploy.succeeded', {
      release: active.labels.release,
      colour: active.labels.colour,
      image: settings.image,
      imageDigest: digest,
      durationMs,
      ...(live ? { previousRelease: live.labels.release } : {}),
      ...(unreachableMs === undefined ? {} : { message: `unreachable for ${unreachableMs} ms` }),
    });
    return { outcome: 'deployed', active, previous: live, durationMs, proof, ...(unreachableMs === undefined ? {} : { unreachableMs }) };
  });
  return reportFailure(ports, 'deploy.failed', work);
}

/**
 * Without a router: stop the old release, start the new one on the same port, and time the gap. A new
 * release that does not answer is removed and the old one started again, with the env it ran with.
 */
async function replaceInPlace(
  ports: DeployPorts,
  settings: DirectSettings,
  labels: ReleaseLabels,
  live: RunningRelease | undefined,
  containers: readonly ReleaseContainer[],
  keepLock: () => Promise<void>,
): Promise<{ active: RunningRelease; proof: HealthReport; unreachableMs?: number }> {
  const { target, logger, clock } = ports;
  // Whatever is left in the new release's colour (a release stopped by an earlier deploy) makes way.
  for (const c of containers) if (c.trusted && c.labels.colour === labels.colour) await target.remove(c.name);
  const liveEnv = live ? await target.env(live.name) : undefined;
  const stopAt = clock.now();
  if (live) {
    logger.info(`stopping ${describeRelease(live)}: without a router, nothing answers until the new release does`);
    await target.stop(live.name, { graceMs: 10_000 });
  }
  const { release: id, image, imageDigest, previousRelease } = labels;
  logger.info(`starting release ${id} (${image}) in ${labels.colour} on port ${labels.port}`);
  await ports.report?.('deploy.release_started', { release: id, colour: labels.colour, image, imageDigest, ...(previousRelease ? { previousRelease } : {}) });
  let release: RunningRelease | undefined;
  let failure: string;
  let proof: HealthReport | undefined;
  try {
    release = await target.start({ labels, env: settings.env });
    await keepLock();
    const health = { ...settings.health, intervalMs: Math.min(settings.health.intervalMs, UNREACHABLE_PROBE_MS) };
    proof = await checkRelease(ports, release, health, 'prove', settings.healthTimeoutMs, 1);
    failure = proof.healthy ? '' : `did not become healthy within ${formatDuration(settings.healthTimeoutMs)}: ${proof.message}`;
  } catch (error) {
    failure = errorMessage(error);
  }
  if (release && proof?.healthy) {
    const unreachableMs = live ? Math.round(clock.now() - stopAt) : undefined;
    await ports.report?.('deploy.healthy', { release: id, colour: labels.colour, message: proof.message });
    await ports.report?.('deploy.switched', { release: id, colour: labels.colour });
    if (settings.observeMs <= 0) return { active: release, proof, ...(unreachableMs === undefined ? {} : { unreachableMs }) };
    const observation = await checkRelease(ports, release, settings.health, 'watch', settings.observeMs);
    if (observation.healthy) return { active: release, proof, ...(unreachableMs === undefined ? {} : { unreachableMs }) };
    failure = `turned unhealthy while observed: ${observation.message}`;
  }

  await target.remove(containerName(labels.app, labels.environment, labels.colour));
  const what = `release ${id} ${failure}; the new container was removed`;
  if (!live) throw new DeployFailure(`${what}; no earlier release runs`, undefined);
  await target.remove(live.name);
  try {
    const back = await target.start({ labels: live.labels, env: liveEnv ?? {} });
    await ports.report?.('deploy.switched_back', { release: live.labels.release, colour: live.labels.colour, message: what });
    throw new DeployFailure(`${what}; ${describeRelease(back)} serves again (unreachable for ${Math.round(clock.now() - stopAt)} ms)`, back);
  } catch (error) {
    if (error instanceof DeployFailure) throw error;
    throw new DeployFailure(`${what}; ${describeRelease(live)} could not be started again: ${errorMessage(error)}; nothing serves`, undefined);
  }
}

function newestRunning(releases: readonly RunningRelease[]): RunningRelease | undefined {
  return releases.filter((r) => r.status.running).sort((a, b) => b.labels.release.localeCompare(a.labels.release))[0];
}
