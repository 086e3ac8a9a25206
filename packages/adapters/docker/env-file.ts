import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError } from '../../core/errors.ts';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Hands `use` the path of a `--env-file` holding `env`, readable by this user only, and removes it
 * when `use` settles. Values go to docker through this file so they never appear on a command line
 * (where `ps` shows them to every user of the runner). Errors name the variable, never its value.
 */
export async function withEnvFile<T>(env: Readonly<Record<string, string>>, use: (path: string) => Promise<T>): Promise<T> {
  const lines = Object.entries(env).map(([name, value]) => {
    if (!NAME.test(name)) {
      throw new ConfigurationError(`env: ${JSON.stringify(name)} is not a valid variable name; use letters, digits and '_', not starting with a digit`);
    }
    // docker reads the file line by line, with no quoting: a line break would split the value.
    if (/[\r\n\0]/.test(value)) throw new ConfigurationError(`env: the value of ${name} holds a line break or NUL, which docker cannot pass`);
    return `${name}=${value}\n`;
  });
  const dir = await mkdtemp(join(tmpdir(), 'sidhe-env-')); // created 0700
  try {
    const path = join(dir, 'env');
    await writeFile(path, lines.join(''), { mode: 0o600, flag: 'wx' });
    return await use(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
