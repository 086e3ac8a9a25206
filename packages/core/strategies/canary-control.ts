import { ActionFailure } from '../errors.ts';
import type { RunningRelease } from '../deploy/target.ts';
import { abortCanary, promoteCanary } from './canary-outcomes.ts';
import type { CanaryResult } from './canary-ports.ts';
import { removeBaseline } from './canary-baseline.ts';
import { readCanaryState } from './canary-state.ts';
import type { DeployPorts } from './deploy-ports.ts';
import { withEnvironmentLock, type LockSettings } from './environment-locking.ts';
import { DeployFailure } from './deploy-failure.ts';
import { describeRelease } from './live-state.ts';
import { checkRelease } from './release-health.ts';
import { reportFailure } from './report-failure.ts';

export interface CanaryControlSettings {
  app: string;
  environment: string;
  /** Probed on the canary before a promotion when its deploy recorded none. */
  fallbackHealthPath: string;
  lock: LockSettings;
  /** Why, recorded with an abort. */
  reason?: string;
}

const PROMOTE_PROBE_MS = 10_000;

/**
 * Finishes a canary a run left sharing traffic (`auto-promote: false`, or `on-inconclusive: pause`):
 * `promote` gives it all traffic once one probe finds it healthy, stable kept in the idle colour;
 * `abort` puts all traffic back on stable and removes it. Needs only the app, the environment and the
 * router: addresses, ports and health path are those the deploy recorded.
 */
export function controlCanary(action: 'promote' | 'abort', settings: CanaryControlSettings, ports: DeployPorts): Promise<CanaryResult> {
  const started = ports.clock.now();
  const work = withEnvironmentLock(ports, settings, async (): Promise<CanaryResult> => {
    const { target, router, logger, clock } = ports;
    const state = readCanaryState(...(await Promise.all([router.inspect(), target.list(settings)])));
    const { stable, canary, canaryWeight } = state;
    if (!state.shared || !stable || !canary) {
      const serving = describeRelease(state.live.live);
      throw new ActionFailure(
        `no canary of ${settings.app} ${settings.environment} shares traffic, so there is nothing to ${action}: ${serving} takes all traffic on ${router.describe()}; nothing was changed`,
      );
    }
    const result = (outcome: CanaryResult['outcome'], weight: number, reasons: string[]): CanaryResult => ({
      outcome,
      stable,
      canary,
      canaryWeight: weight,
      reasons,
      steps: [],
      analyses: [],
      weights: [
        { atMs: started, weight: canaryWeight },
        { atMs: clock.now(), weight },
      ],
      durationMs: clock.now() - started,
    });

    // A baseline a killed run left goes once its share has moved (promote and abort both move it).
    const done = async (outcome: CanaryResult['outcome'], weight: number, reasons: string[]): Promise<CanaryResult> => {
      if (state.baseline) await removeBaseline(ports, settings);
      return result(outcome, weight, reasons);
    };
    if (action === 'abort') {
      const reasons = [`aborted by request at ${canaryWeight}%${settings.reason ? `: ${settings.reason}` : ''}`];
      await abortCanary(ports, { stable, canary, weight: canaryWeight, reasons });
      logger.info(`canary ${canary.labels.release} aborted: ${describeRelease(stable)} takes all traffic`);
      return done('aborted', 0, reasons);
    }
    const unhealthy = await whyUnhealthy(ports, canary, settings.fallbackHealthPath);
    if (unhealthy) {
      // A paused canary that stopped answering must not keep its share: stable gets it all back.
      const reasons = [`${describeRelease(canary)} ${unhealthy}, so it was not promoted`];
      await abortCanary(ports, { stable, canary, weight: canaryWeight, reasons });
      if (state.baseline) await removeBaseline(ports, settings);
      throw new DeployFailure(`${reasons[0]}; it was aborted: ${describeRelease(stable)} takes all traffic`, stable);
    }
    await promoteCanary(ports, stable, canary);
    return done('promoted', 100, []);
  });
  return reportFailure(ports, 'deploy.failed', work);
}

/** Why the canary cannot be promoted (not running, or one probe finds it unhealthy), or undefined. */
async function whyUnhealthy(ports: DeployPorts, canary: RunningRelease, fallbackPath: string): Promise<string | undefined> {
  if (!canary.status.running) return `is ${canary.status.state}, not running`;
  const health = { path: canary.labels.healthPath ?? fallbackPath, intervalMs: 1_000 };
  const probe = await checkRelease(ports, canary, health, 'prove', PROMOTE_PROBE_MS, 1);
  return probe.healthy ? undefined : `is not healthy (${probe.message})`;
}
