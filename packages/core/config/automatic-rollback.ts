import { environmentStrategy } from './environment-strategy.ts';
import type { DevopsConfig } from './schema.ts';

/** The criteria the observation after a blue-green switch judges: its health check covers status, success rate and p95 latency. */
const OBSERVED = new Set(['health_check_failure', 'error_rate_threshold', 'performance_degradation']);

/**
 * Why a blue-green release that turns unhealthy after the switch keeps the traffic instead of being
 * switched back, or undefined when it is switched back (the default).
 */
export function switchBackRefusal(config: DevopsConfig, environment: string): string | undefined {
  if (!config.devops_automator.deployment.rollback_automation) return 'devops_automator.deployment.rollback_automation is false';
  const criteria = environmentStrategy(config, environment).rollback_criteria;
  if (criteria.some((criterion) => OBSERVED.has(criterion))) return undefined;
  return `deployment_strategies.${environment}.rollback_criteria is [${criteria.join(', ')}]: only the rollback action switches back`;
}
