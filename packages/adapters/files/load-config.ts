import { DEFAULT_CONFIG_PATH, parseConfig, type DevopsConfig } from '../../core/config/index.ts';
import { readWorkspaceFile, SETTINGS_FILE_LIMIT } from './workspace-file.ts';

export interface LoadConfigOptions {
  /** The file, relative to the workspace. Empty or left out: `.sidhe/devops.yaml`, which may be absent. */
  path?: string;
  workspace: string;
  /** What names the file in errors about where it is: the action's input or the CLI's flag. */
  input?: string;
}

/**
 * Reads and validates the configuration file, inside the workspace only. Without the default file
 * the suite runs on the defaults; a path the user named must exist, since a typo there would
 * otherwise go unnoticed.
 */
export async function loadConfig({ path, workspace, input = 'config' }: LoadConfigOptions): Promise<DevopsConfig> {
  const source = path || DEFAULT_CONFIG_PATH;
  const read = await readWorkspaceFile(input, source, workspace, { maxBytes: SETTINGS_FILE_LIMIT, optional: !path });
  return parseConfig(read?.text ?? '', source);
}
