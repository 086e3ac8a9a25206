import type { Clock } from '../health/clock.ts';
import type { Prober } from '../health/prober.ts';
import type { Logger } from '../logger.ts';
import type { Target } from '../deploy/target.ts';
import type { Router } from '../routing/router.ts';

/** Everything a strategy acts through. Adapters implement them; unit tests pass fakes. */
export interface DeployPorts {
  target: Target;
  router: Router;
  prober: Prober;
  clock: Clock;
  logger: Logger;
}
