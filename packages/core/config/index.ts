export { loadConfig, DEFAULT_CONFIG_PATH, type LoadConfigOptions } from './load-config.ts';
export { parseConfig } from './parse-config.ts';
export { environmentStrategy, type EnvironmentSettings } from './environment-strategy.ts';
export {
  devopsConfigSchema,
  type DevopsConfig,
  type DevopsConfigInput,
  type DeploymentStrategy,
  type EnvironmentDeployment,
  type ImageLifecycle,
} from './schema.ts';
