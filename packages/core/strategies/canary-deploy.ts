import { errorMessage } from '../errors.ts';
import { formatDuration } from '../inputs/durations.ts';
import { envFingerprint } from '../deploy/env-fingerprint.ts';
import { newReleaseLabels, type DeploySettings } from './new-release.ts';
import { baselineLabels, removeBaseline, startBaseline } from './canary-baseline.ts';
import { abortCanary, promoteCanary, splitTraffic } from './canary-outcomes.ts';
import type { CanaryPlan, CanaryPorts, CanaryResult } from './canary-ports.ts';
import { readCanaryState, type CanaryState } from './canary-state.ts';
import { runCanarySteps } from './canary-steps.ts';
import type { RunningRelease } from '../deploy/target.ts';
import { DeployFailure } from './deploy-failure.ts';
import { withEnvironmentLock } from './environment-locking.ts';
import { describeRelease } from './live-state.ts';
import { allTrafficTo, promoteRelease } from './promote-release.ts';
import { releaseAddress } from './release-health.ts';
import { reportFailure } from './report-failure.ts';
import { startIdleRelease } from './start-release.ts';

export interface CanarySettings extends CanaryPlan, DeploySettings {}

/**
 * A canary deploy: under the environment's lock, the new image starts in the idle colour, proven
 * healthy on its own port, then takes the plan's steps of traffic while the judge compares it with
 * the stable release. A fail aborts at once (all traffic to stable, the canary removed); every step
 * passed promotes it, stable kept in the idle colour for an instant rollback. A canary left sharing
 * traffic by an earlier run (paused, or killed mid-step) is aborted first.
 */
export function deployCanary(settings: CanarySettings, ports: CanaryPorts): Promise<CanaryResult> {
  const started = ports.clock.now();
  const work = withEnvironmentLock(ports, settings, async (keepLock): Promise<CanaryResult> => {
    const { target, router, logger, clock } = ports;
    const done = (result: Omit<CanaryResult, 'durationMs'>): CanaryResult => ({ ...result, durationMs: clock.now() - started });
    await ports.report?.('canary.started', { image: settings.image });
    await target.pull(settings.image);
    const digest = await target.imageDigest(settings.image);
    const state = await abortLeftover(ports, settings, readCanaryState(...(await Promise.all([router.inspect(), target.list(settings)]))));
    const { stable, live } = state;
    logger.info(`stable: ${describeRelease(stable)}`);

    // As in blue-green: the same image with another env (a rotated secret) is a new release.
    const envHash = envFingerprint(settings.env);
    if (stable?.status.running && stable.labels.imageDigest === digest && (stable.labels.envHash ?? envFingerprint({})) === envHash) {
      logger.info(`${describeRelease(stable)} already runs ${settings.image} with this env: nothing to deploy`);
      await ports.report?.('deploy.unchanged', { release: stable.labels.release, colour: stable.labels.colour, image: settings.image });
      return done({ outcome: 'promoted', unchanged: true, canary: stable, canaryWeight: 100, reasons: [], steps: [], analyses: [], weights: [] });
    }

    const now = new Date(clock.now());
    const colour = live.idleColour;
    const labels = newReleaseLabels(settings, { colour, imageDigest: digest, envHash, now, replacing: stable });
    const start = { labels, env: settings.env, health: settings.health, healthTimeoutMs: settings.healthTimeoutMs, keepLock };

    if (!stable?.status.running) {
      // Nothing to compare with: the first release takes all traffic, proven healthy as blue-green would.
      logger.info(`no stable release runs in ${settings.app} ${settings.environment}: ${labels.release} takes all traffic without a canary`);
      const promotion = await promoteRelease(ports, live, { ...start, observeMs: 0 });
      await ports.report?.('canary.promoted', { release: labels.release, colour, image: settings.image, imageDigest: digest, weight: 100 });
      const reasons = ['no stable release ran to compare with: all traffic went to the first release once it was healthy'];
      return done({
        outcome: 'promoted',
        canary: promotion.release,
        canaryWeight: 100,
        reasons,
        steps: [],
        analyses: [],
        weights: [{ atMs: clock.now(), weight: 100 }],
      });
    }

    // Both before any container starts: a source or judge that cannot be set up changes nothing.
    const judge = ports.measuring.createJudge();
    const beside = settings.baseline ? baselineLabels(stable.labels, settings.baseline.port, now) : undefined;
    const metrics = await ports.measuring.openMetrics({ canary: labels, stable: stable.labels, ...(beside ? { baseline: beside } : {}) });
    let baseline: RunningRelease | undefined;
    try {
      if (settings.baseline) {
        const health = { ...settings.health, path: stable.labels.healthPath ?? settings.health.path };
        baseline = await startBaseline(ports, stable, { port: settings.baseline.port, health, healthTimeoutMs: settings.healthTimeoutMs });
      }
      const { release: canary, putBack } = await startIdleRelease(ports, live, start);
      const aborted = async (reasons: string[], weight: number): Promise<void> =>
        abortCanary(ports, { stable, canary, weight, reasons, ...(putBack ? { putBack } : {}) });
      const end = await runCanarySteps(ports, { stable, canary, ...(baseline ? { baseline } : {}), plan: settings, metrics, judge, keepLock }).catch(
        async (error: unknown) => {
          const weight = (await router.inspect().catch(() => undefined))?.slots[colour]?.weight ?? 0;
          await aborted([errorMessage(error)], weight);
          throw new DeployFailure(`${errorMessage(error)}; the canary ${labels.release} was aborted: all traffic is on ${describeRelease(stable)}`, stable);
        },
      );
      const weight = end.weights.at(-1)?.weight ?? 0;
      const result = { stable, canary, ...(baseline ? { baseline } : {}), steps: end.steps, analyses: end.analyses, reasons: end.reasons };
      if (end.end === 'failed') {
        await aborted(end.reasons, weight);
        const weights = [...end.weights, { atMs: clock.now(), weight: 0 }];
        return done({ ...result, outcome: 'aborted', canaryWeight: 0, weights });
      }
      if (end.end === 'paused') {
        // Nothing is compared while paused: the baseline's share goes back to stable.
        if (baseline) await router.apply(splitTraffic(stable, canary, weight));
        logger.info(`canary ${labels.release} paused at ${weight}%: ${end.reasons.join('; ')}`);
        await ports.report?.('canary.paused', {
          release: labels.release,
          colour,
          previousRelease: stable.labels.release,
          weight,
          message: end.reasons.join('; '),
        });
        return done({ ...result, outcome: 'paused', canaryWeight: weight, weights: end.weights });
      }
      await promoteCanary(ports, stable, canary);
      logger.info(`canary ${labels.release} promoted after ${end.steps.length} steps (${formatDuration(clock.now() - started)})`);
      return done({ ...result, outcome: 'promoted', canaryWeight: 100, weights: end.weights });
    } finally {
      await metrics.close?.();
      if (settings.baseline) await removeBaseline(ports, settings);
    }
  });
  return reportFailure(ports, 'deploy.failed', work);
}

/**
 * Both colours taking traffic when a canary starts: one was paused, or its run died mid-step. All
 * traffic goes back to stable and the old canary is removed before anything else; the new canary
 * starts from there (the same image again is fine).
 */
async function abortLeftover(ports: CanaryPorts, settings: CanarySettings, state: CanaryState): Promise<CanaryState> {
  if (!state.shared) {
    if (state.baseline) await removeBaseline(ports, settings);
    return state;
  }
  const { stable, canary } = state;
  if (!stable) {
    throw new DeployFailure(
      `both colours of ${settings.app} ${settings.environment} take traffic but no release runs in either; deploy with deploy-blue-green or roll back first`,
      undefined,
    );
  }
  ports.logger.info(
    `a canary was left at ${state.canaryWeight}% (${describeRelease(canary)}): all traffic back to ${describeRelease(stable)} before the new canary starts`,
  );
  await ports.router.apply(allTrafficTo(stable.labels.colour, releaseAddress(stable)));
  if (canary) await ports.target.remove(canary.name);
  if (state.baseline) await removeBaseline(ports, settings);
  return readCanaryState(...(await Promise.all([ports.router.inspect(), ports.target.list(settings)])));
}
