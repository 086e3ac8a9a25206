import { loadConfig } from '../packages/adapters/files/load-config.ts';
import { DEFAULT_CONFIG_PATH, type DevopsConfig } from '../packages/core/config/index.ts';
import type { ActionIO } from '../packages/runtime/action-io.ts';

/**
 * The configuration file named by an action's `config` input. The runner fills in the default path
 * even when the user gave none, so only a path other than the default must exist.
 */
export function loadActionConfig(configInput: string, io: ActionIO): Promise<DevopsConfig> {
  const path = configInput === DEFAULT_CONFIG_PATH ? '' : configInput;
  return loadConfig({ path, workspace: io.context.workspace });
}
