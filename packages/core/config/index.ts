export { DEFAULT_CONFIG_PATH } from './default-path.ts';
export { parseConfig } from './parse-config.ts';
export { environmentStrategy, type EnvironmentSettings } from './environment-strategy.ts';
export { switchBackRefusal } from './automatic-rollback.ts';
export {
  devopsConfigSchema,
  type DevopsConfig,
  type DevopsConfigInput,
  type DeploymentStrategy,
  type EnvironmentDeployment,
  type ImageLifecycle,
} from './schema.ts';
