import { environmentDeployment, type DeploymentStrategy, type DevopsConfig, type EnvironmentDeployment, type ImageLifecycle } from './schema.ts';

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
  const own = Object.hasOwn(strategies, environment) ? strategies[environment]! : environmentDeployment.parse({});
  return {
    ...own,
    environment,
    strategy: own.strategy ?? config.devops_automator.deployment.default_strategy,
    hosts: own.hosts ?? config.devops_automator.deployment.hosts,
    lifecycle: Object.hasOwn(lifecycles, environment) ? lifecycles[environment] : undefined,
  };
}
