import type { DeploymentStrategy, DevopsConfig, EnvironmentDeployment, ImageLifecycle } from './schema.ts';

/**
 * A deployment_strategies entry with every key left out, as the schema's defaults fill it in
 * (environment-strategy.test.ts holds the two equal). Written out so that the doors reading an
 * environment's settings do not load zod and build the schema with their code: only the lazily
 * loaded configuration parser does.
 */
export const DEFAULT_ENVIRONMENT_ENTRY: EnvironmentDeployment = { quality_gates: [], rollback_criteria: ['health_check_failure'] };

export interface EnvironmentSettings extends EnvironmentDeployment {
  environment: string;
  strategy: DeploymentStrategy;
  /** The environment's SSH hosts, else the general ones; empty: the runner's own engine. */
  hosts: string[];
  /** Image retention for the environment; undefined when image_lifecycle has no entry for it. */
  lifecycle: ImageLifecycle | undefined;
}

/**
 * How to deploy to one environment: its deployment_strategies entry, or the entry defaults, with the
 * general default strategy and the environment's image lifecycle. Names match exactly, as GitHub shows them.
 */
export function environmentStrategy(config: DevopsConfig, environment: string): EnvironmentSettings {
  const { deployment_strategies: strategies, image_lifecycle: lifecycles } = config;
  const own = Object.hasOwn(strategies, environment) ? strategies[environment]! : structuredClone(DEFAULT_ENVIRONMENT_ENTRY);
  return {
    ...own,
    environment,
    strategy: own.strategy ?? config.devops_automator.deployment.default_strategy,
    hosts: own.hosts ?? config.devops_automator.deployment.hosts,
    lifecycle: Object.hasOwn(lifecycles, environment) ? lifecycles[environment] : undefined,
  };
}
