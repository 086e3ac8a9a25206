import { errorMessage } from '../errors.ts';
import type { RunningRelease } from '../deploy/target.ts';
import type { RoutePlan } from '../routing/router.ts';
import type { DeployPorts } from './deploy-ports.ts';
import { DeployFailure } from './deploy-failure.ts';
import { describeRelease } from './live-state.ts';
import { allTrafficTo } from './promote-release.ts';
import { releaseAddress } from './release-health.ts';
import { reinstate, type Reinstatement } from './start-release.ts';

/** The canary at `weight` %, stable at the rest. */
export function splitTraffic(stable: RunningRelease, canary: RunningRelease, weight: number): RoutePlan {
  return {
    slots: {
      [stable.labels.colour]: { address: releaseAddress(stable), weight: 100 - weight },
      [canary.labels.colour]: { address: releaseAddress(canary), weight },
    },
  };
}

export interface Abort {
  stable: RunningRelease;
  /** The canary; undefined when its container is gone already (only its traffic is left to move). */
  canary?: RunningRelease;
  /** Its share of traffic when the abort began, in %. */
  weight: number;
  reasons: string[];
  /** The release the canary replaced in the idle colour, started again for an instant rollback. */
  putBack?: Reinstatement;
}

/**
 * Aborts a canary: all traffic to stable first (the event marks that moment: time to restore ends
 * there), then the canary's container removed, so no later rollback finds it, and the release it
 * replaced started again.
 */
export async function abortCanary(ports: DeployPorts, abort: Abort): Promise<void> {
  const { stable, canary, weight } = abort;
  ports.logger.info(`aborting the canary${canary ? ` ${describeRelease(canary)}` : ''} at ${weight}%: all traffic to ${describeRelease(stable)}`);
  const plan = allTrafficTo(stable.labels.colour, releaseAddress(stable));
  // One retry: a router busy reloading should not leave the canary its share.
  await ports.router
    .apply(plan)
    .catch(() => ports.router.apply(plan))
    .catch((error: unknown) => {
      throw new DeployFailure(
        `the canary could not be aborted: ${ports.router.describe()} refused to send all traffic to ${describeRelease(stable)}: ${errorMessage(error)}; the canary keeps ${weight}%`,
        stable,
      );
    });
  await ports.report?.('canary.aborted', {
    ...(canary ? { release: canary.labels.release, colour: canary.labels.colour } : {}),
    previousRelease: stable.labels.release,
    weight,
    message: abort.reasons.join('; '),
  });
  if (canary) await ports.target.remove(canary.name);
  await reinstate(ports, abort.putBack);
}

/** All traffic to the canary; stable keeps running in the idle colour for an instant rollback. */
export async function promoteCanary(ports: DeployPorts, stable: RunningRelease, canary: RunningRelease): Promise<void> {
  ports.logger.info(`promoting ${describeRelease(canary)}: all traffic to ${canary.labels.colour}; ${describeRelease(stable)} stays in the idle colour`);
  await ports.router.apply(allTrafficTo(canary.labels.colour, releaseAddress(canary)));
  const { release, colour, image, imageDigest } = canary.labels;
  await ports.report?.('canary.promoted', { release, colour, image, imageDigest, previousRelease: stable.labels.release, weight: 100 });
}
