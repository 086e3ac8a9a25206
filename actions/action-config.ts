import type { DevopsConfig } from '../packages/core/config/index.ts';
import { DEFAULT_CONFIG_PATH } from '../packages/core/config/default-path.ts';
import { ActionSkipped } from '../packages/core/errors.ts';
import type { ActionIO } from '../packages/runtime/action-io.ts';

/**
 * The configuration file named by an action's `config` input. The runner fills in the default path
 * even when the user gave none, so only a path other than the default must exist. The loader (YAML
 * and the schema) loads on the first call. With `devops_automator.enabled: false` the action stops here,
 * before it changes anything.
 */
export async function loadActionConfig(configInput: string, io: ActionIO): Promise<DevopsConfig> {
  const path = configInput === DEFAULT_CONFIG_PATH ? '' : configInput;
  const { loadConfig } = await import('../packages/adapters/files/load-config.ts');
  const config = await loadConfig({ path, workspace: io.context.workspace });
  if (!config.devops_automator.enabled) throw new ActionSkipped(`devops_automator.enabled is false in ${configInput}: nothing was done`);
  return config;
}
