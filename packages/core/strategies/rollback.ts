import { ActionFailure, errorMessage } from '../errors.ts';
import { formatDuration } from '../inputs/durations.ts';
import { envFingerprint } from '../deploy/env-fingerprint.ts';
import { isReleaseId, releaseId, type Colour } from '../deploy/release.ts';
import type { RouteView } from '../routing/router.ts';
import type { RunningRelease } from '../deploy/target.ts';
import type { DeployPorts } from './deploy-ports.ts';
import { DeployFailure } from './deploy-failure.ts';
import { reportFailure } from './report-failure.ts';
import { withEnvironmentLock, type LockSettings } from './environment-locking.ts';
import { readCanaryState } from './canary-state.ts';
import { describeRelease, readLiveState, type LiveState } from './live-state.ts';
import { allTrafficTo, promoteRelease } from './promote-release.ts';
import { checkRelease, releaseAddress, type ReleaseHealthSettings } from './release-health.ts';

export interface RollbackSettings {
  app: string;
  environment: string;
  /** `previous`, a recorded release id, or an image reference. */
  to: string;
  reason?: string;
  /** The env to restart a release with; undefined: the env it ran with, when its container is still on the host. */
  env?: Readonly<Record<string, string>>;
  /** Undefined: the ports the releases recorded (see recordedPort). */
  ports?: Record<Colour, number>;
  /** A path undefined: the one the wanted release's deploy recorded, else `/health`. */
  health: Omit<ReleaseHealthSettings, 'path'> & { path?: string };
  healthTimeoutMs: number;
  lock: LockSettings;
}

export interface RollbackResult {
  outcome: 'switched' | 'restarted' | 'unchanged';
  active: RunningRelease;
  durationMs: number;
}

/**
 * Back to an earlier release: `previous` is what served before, kept in the idle colour. When it still
 * runs, one probe and a router switch (well under a second); when it is stopped or gone, a restart of
 * its recorded image, proven healthy first; an image reference is deployed like a new release.
 */
export function rollbackRelease(settings: RollbackSettings, ports: DeployPorts): Promise<RollbackResult> {
  const started = ports.clock.now();
  const work = withEnvironmentLock(ports, settings, async (keepLock) => {
    const { target, router, logger } = ports;
    await ports.report?.('rollback.started', { message: `to ${settings.to}${settings.reason ? `; reason: ${settings.reason}` : ''}` });
    const [view, containers] = await Promise.all([router.inspect(), target.list(settings)]);
    const state = readLiveState(view, containers);
    const portOf = (colour: Colour): number => settings.ports?.[colour] ?? recordedPort(colour, state, view, ports);
    // Traffic shared with a canary (paused, or left by a killed run): `previous` is the stable release
    // the canary was judged against, and it gets all traffic back.
    const { shared, stable } = readCanaryState(view, containers);
    const behindCanary = shared && settings.to === 'previous' ? stable : undefined;
    const wanted = behindCanary ?? (await findWanted(settings.to, state, ports, { app: settings.app, environment: settings.environment, portOf }));
    const health = { ...settings.health, path: settings.health.path ?? wanted?.labels.healthPath ?? state.live?.labels.healthPath ?? DEFAULT_HEALTH_PATH };
    const done = async (outcome: RollbackResult['outcome'], active: RunningRelease): Promise<RollbackResult> => {
      const durationMs = ports.clock.now() - started;
      logger.info(
        `rollback ${outcome}: ${describeRelease(active)} serves now (${formatDuration(durationMs)})${settings.reason ? `; reason: ${settings.reason}` : ''}`,
      );
      const { release, colour, image, imageDigest } = active.labels;
      await ports.report?.('rollback.succeeded', {
        release,
        colour,
        image,
        imageDigest,
        durationMs,
        message: `${outcome}${settings.reason ? `; reason: ${settings.reason}` : ''}`,
      });
      return { outcome, active, durationMs };
    };

    if (wanted && state.live && wanted.labels.release === state.live.labels.release && !shared) {
      logger.info(`${describeRelease(wanted)} already serves: nothing to roll back`);
      return done('unchanged', wanted);
    }
    if (wanted?.status.running) {
      const probe = await checkRelease(ports, wanted, health, 'prove', Math.min(settings.healthTimeoutMs, 10_000), 1);
      if (probe.healthy) {
        try {
          await router.apply(allTrafficTo(wanted.labels.colour, releaseAddress(wanted)));
        } catch (error) {
          const stays = `traffic stayed on ${describeRelease(state.live)}`;
          throw new DeployFailure(
            `rollback to ${describeRelease(wanted)} failed: ${router.describe()} refused the switch: ${errorMessage(error)}; ${stays}`,
            state.live,
          );
        }
        return done('switched', wanted);
      }
      logger.warning(`${describeRelease(wanted)} runs but is not healthy (${probe.message}); restarting it`);
    }

    const image = wanted?.labels.image ?? settings.to;
    const onHost = wanted && wanted.status.state !== 'removed' ? wanted : undefined;
    const env = settings.env ?? (onHost ? await target.env(onHost.name) : {});
    const now = new Date(ports.clock.now());
    await target.pull(image);
    const digest = await target.imageDigest(image);
    const colour = wanted?.labels.colour ?? state.idleColour;
    const promotion = await promoteRelease(ports, state, {
      labels: {
        app: settings.app,
        environment: settings.environment,
        colour,
        release: wanted?.labels.release ?? releaseId(now, digest),
        image,
        imageDigest: digest,
        deployedAt: now.toISOString(),
        port: portOf(colour),
        healthPath: health.path,
        envHash: envFingerprint(env),
        ...(wanted?.labels.commit ? { commit: wanted.labels.commit } : {}),
        ...(state.live ? { previousRelease: state.live.labels.release, previousImage: state.live.labels.image } : {}),
      },
      env,
      health,
      healthTimeoutMs: settings.healthTimeoutMs,
      observeMs: 0,
      keepLock,
    }).catch((error: unknown) => {
      if (error instanceof DeployFailure)
        throw new DeployFailure(`rollback to ${wanted ? describeRelease(wanted) : image} failed: ${error.message}`, error.serving, error.evidence);
      throw error;
    });
    return done('restarted', promotion.release);
  });
  return reportFailure(ports, 'rollback.failed', work);
}

/**
 * The release `to` names, or undefined for an image reference (deployed afresh). `previous` is what
 * served before: kept in the idle colour (deploys keep it, refused ones put it back); when that
 * container is gone, the live release's labels name it; when the host knows nothing, the history does.
 */
/** The app environment a rollback acts on, and the port of each colour. */
interface Scope {
  app: string;
  environment: string;
  portOf(colour: Colour): number;
}

async function findWanted(to: string, state: LiveState, ports: DeployPorts, scope: Scope): Promise<RunningRelease | undefined> {
  const host = ports.target.describe();
  const recorded = Object.values(state.byColour);
  const list = recorded.length
    ? recorded.map((r) => `${r.labels.release} (${r.labels.image}, ${r.labels.colour}, ${r.status.running ? 'running' : r.status.state})`).join(', ')
    : 'none';
  const idle = state.byColour[state.idleColour];
  if (to === 'previous' && idle && state.live) return idle;
  const id = to === 'previous' ? state.live?.labels.previousRelease : isReleaseId(to) ? to : undefined;
  if (to === 'previous' && !id) {
    const fromHistory = await previousFromHistory(state, ports, scope);
    if (fromHistory) return fromHistory;
    const asked = ports.history ? `; ${ports.history.describe()} has none either` : '';
    throw new ActionFailure(`no previous release is recorded for ${describeRelease(state.live)} on ${host}${asked}; recorded releases: ${list}`);
  }
  if (!id) return undefined;
  const found = recorded.find((r) => r.labels.release === id) ?? recordedOnLive(id, state);
  if (!found) throw new ActionFailure(`release ${id} is not recorded on ${host}; recorded releases: ${list}`);
  return found;
}

/**
 * The live release records the one before it (id and image): when that container is gone (replaced
 * by a refused deploy, say), it can still be restarted in the idle colour.
 */
function recordedOnLive(id: string, state: LiveState): RunningRelease | undefined {
  const live = state.live;
  if (!live || live.labels.previousRelease !== id || !live.labels.previousImage) return undefined;
  return {
    ...live,
    trusted: true,
    status: { ...live.status, state: 'removed', running: false },
    labels: { ...live.labels, colour: state.idleColour, release: id, image: live.labels.previousImage },
  };
}

/** The history's previous release, to restart in the idle colour (the host lost it: rebuilt, pruned). */
async function previousFromHistory(state: LiveState, ports: DeployPorts, scope: Scope): Promise<RunningRelease | undefined> {
  if (!ports.history) return undefined;
  const { app, environment, portOf } = scope;
  const current = state.live?.labels.release;
  const found = await ports.history.previousRelease({ app, environment, ...(current ? { current } : {}) });
  if (!found) return undefined;
  ports.logger.info(`${ports.target.describe()} records no previous release; ${ports.history.describe()} names ${found.release} (${found.image})`);
  const colour = state.idleColour;
  return {
    name: '',
    id: '',
    trusted: true,
    status: { state: 'removed', running: false, exitCode: 0, health: 'none' },
    labels: {
      app,
      environment,
      colour,
      release: found.release,
      image: found.image,
      imageDigest: '',
      deployedAt: found.deployedAt,
      port: portOf(colour),
      ...(found.commit ? { commit: found.commit } : {}),
    },
  };
}

const DEFAULT_HEALTH_PATH = '/health';

/**
 * The port a colour's release listens on when the rollback was not told: the one its container
 * recorded, else the router's address for the slot (kept when drained). A slot never used is an error
 * that says to give `ports`, rather than a guess that would probe the wrong port for minutes.
 */
function recordedPort(colour: Colour, state: LiveState, view: RouteView, ports: DeployPorts): number {
  const recorded = state.byColour[colour]?.labels.port;
  if (recorded !== undefined) return recorded;
  const port = Number(/:(\d{1,5})$/.exec(view.slots[colour]?.address ?? '')?.[1] ?? NaN);
  if (Number.isInteger(port) && port > 0 && port <= 65535) return port;
  throw new ActionFailure(
    `no release records the port of the ${colour} slot, and ${ports.router.describe()} has no address for it: give \`ports\` (blue,green)`,
  );
}
