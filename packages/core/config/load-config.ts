import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ConfigurationError, errorMessage } from '../errors.ts';
import { DEFAULT_CONFIG_PATH } from './default-path.ts';
import { parseConfig } from './parse-config.ts';
import type { DevopsConfig } from './schema.ts';

export { DEFAULT_CONFIG_PATH };

export interface LoadConfigOptions {
  /** The file, relative to `cwd`. Empty or left out: `.sidhe/devops.yaml`, which may be absent. */
  path?: string;
  cwd: string;
}

/**
 * Reads and validates the configuration file. Without the default file the suite runs on the
 * defaults; a path the user named must exist, since a typo there would otherwise go unnoticed.
 */
export async function loadConfig({ path, cwd }: LoadConfigOptions): Promise<DevopsConfig> {
  const source = path || DEFAULT_CONFIG_PATH;
  const fullPath = resolve(cwd, source);
  let text: string;
  try {
    text = await readFile(fullPath, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !path) return parseConfig('', source);
    if (code === 'ENOENT') throw new ConfigurationError(`config file ${source} not found (looked for ${fullPath})`);
    throw new ConfigurationError(`config file ${source} cannot be read: ${errorMessage(error)}`);
  }
  return parseConfig(text, source);
}
