import { constants } from 'node:fs';
import { open, realpath } from 'node:fs/promises';
import path from 'node:path';
import { ConfigurationError } from '../../core/errors.ts';
import { formatBytes, kilobytes } from './byte-size.ts';

/**
 * The one way an action reads a file the user names (`config`, `ignore-file`, `env-file`, report
 * globs): the path resolves inside the workspace, symlinks followed, or it is refused. A workflow's
 * inputs and the checkout it runs are the user's (or a pull request's) to choose, and the runner may
 * hold secrets outside the checkout (/proc/self/environ, ~/.docker/config.json, /etc/shadow), so
 * nothing outside the workspace is ever read, and errors name the input and the path, never content.
 */

/** For the files that hold settings (config, ignore-file, env-file): far above any real one. */
export const SETTINGS_FILE_LIMIT = kilobytes(256);

export interface WorkspaceRead {
  /** The real path read, absolute. */
  path: string;
  text: string;
}

export interface ReadOptions {
  /** Refused before it is read when larger. */
  maxBytes: number;
  /** An absent file reads as undefined instead of an error (the default config file). */
  optional?: boolean;
}

const inside = (root: string, file: string): boolean => file === root || file.startsWith(root + path.sep);

/** The workspace's own real path: a workspace reached through a symlink still holds its files. */
export async function realWorkspace(workspace: string): Promise<string> {
  return realpath(workspace).catch(() => path.resolve(workspace));
}

/**
 * `given` as an absolute path under the real workspace: relative to it, or absolute, where an absolute
 * path under the workspace as the runner names it (`${{ github.workspace }}/…`) counts as inside.
 */
export function anchorInWorkspace(given: string, workspace: string, root: string): string {
  const named = path.resolve(workspace);
  const written = path.resolve(root, given);
  return inside(named, written) ? path.join(root, path.relative(named, written)) : written;
}

/** Refuses a real path outside the workspace; `given` is what the user wrote, shown in the error. */
export function checkInside(input: string, given: string, root: string, real: string): void {
  if (!inside(root, real)) {
    throw new ConfigurationError(`${input}: ${JSON.stringify(given)} leads outside the workspace (to ${real}); only files inside ${root} are read`);
  }
}

/**
 * The real path of `given`, relative to the workspace (or absolute): refused when it is outside the
 * workspace as written, or when a symlink on the way leads outside. Undefined when it does not exist.
 */
export async function resolveWorkspacePath(input: string, given: string, workspace: string): Promise<string | undefined> {
  const root = await realWorkspace(workspace);
  const written = anchorInWorkspace(given, workspace, root);
  // Refused as written before anything is looked up, so the error never tells whether an outside file exists.
  if (!inside(root, written)) {
    throw new ConfigurationError(`${input}: ${JSON.stringify(given)} is outside the workspace; give a path inside ${root}`);
  }
  let real: string;
  try {
    real = await realpath(written);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new ConfigurationError(`${input}: ${JSON.stringify(given)} cannot be read: ${code ?? 'unknown error'}`);
  }
  checkInside(input, given, root, real);
  return real;
}

/**
 * Reads a file inside the workspace as UTF-8 text: a regular file of at most `maxBytes`, refused
 * before its content is read otherwise.
 */
export async function readWorkspaceFile(
  input: string,
  given: string,
  workspace: string,
  options: ReadOptions & { optional: true },
): Promise<WorkspaceRead | undefined>;
export async function readWorkspaceFile(input: string, given: string, workspace: string, options: ReadOptions): Promise<WorkspaceRead>;
export async function readWorkspaceFile(input: string, given: string, workspace: string, options: ReadOptions): Promise<WorkspaceRead | undefined> {
  const real = await resolveWorkspacePath(input, given, workspace);
  if (real === undefined) {
    if (options.optional) return undefined;
    throw new ConfigurationError(`${input}: ${JSON.stringify(given)} not found in the workspace`);
  }
  return { path: real, text: await readBounded(input, given, real, options.maxBytes) };
}

/** Reads a real path already checked to be inside the workspace, within `maxBytes`. */
export async function readBounded(input: string, given: string, real: string, maxBytes: number): Promise<string> {
  const refuse = (why: string) => new ConfigurationError(`${input}: ${JSON.stringify(given)} ${why}`);
  // Non-blocking, so a FIFO is refused by the check below instead of waiting for a writer forever.
  const handle = await open(real, constants.O_RDONLY | constants.O_NONBLOCK).catch((error: NodeJS.ErrnoException) => {
    throw refuse(`cannot be read: ${error.code ?? 'unknown error'}`);
  });
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw refuse('is not a regular file');
    if (stats.size > maxBytes) throw refuse(`is ${formatBytes(stats.size)}; the limit is ${formatBytes(maxBytes)}`);
    // Read at most one byte past the limit: a file that grew since stat() is caught without reading it all.
    const buffer = Buffer.alloc(Math.min(maxBytes + 1, stats.size + 1));
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length === buffer.length) break;
    }
    if (length > maxBytes) throw refuse(`is over the limit of ${formatBytes(maxBytes)}`);
    if (length === buffer.length) throw refuse('grew while it was read; read it again once it is written');
    return buffer.subarray(0, length).toString('utf8');
  } finally {
    await handle.close();
  }
}
