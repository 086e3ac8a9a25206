import type { Clock } from '../health/clock.ts';
import type { Prober } from '../health/prober.ts';
import type { Logger } from '../logger.ts';
import type { ReleaseHistory } from '../deploy/release-history.ts';
import type { Target } from '../deploy/target.ts';
import type { Router } from '../routing/router.ts';
import type { EventFields, EventType } from '../events/devops-event.ts';

/** Everything a strategy acts through. Adapters implement them; unit tests pass fakes. */
export interface DeployPorts {
  target: Target;
  router: Router;
  prober: Prober;
  clock: Clock;
  logger: Logger;
  /** Broadcasts a step (Redis, GitHub Deployments); the door stamps who and where. Never throws. */
  report?: (type: EventType, fields?: EventFields) => Promise<void>;
  /** Past deploys kept off the host (GitHub Deployments), for a rollback the host cannot answer. */
  history?: ReleaseHistory;
}
