import { readFile, rm } from 'node:fs/promises';
import { runCommand, type CommandResult } from '../process/run-command.ts';
import { writeFileAtomic } from './write-file-atomic.ts';

/** Runs a program on a host with an argument array (over its SSH connection for a remote one). */
export type HostExec = (argv: readonly string[], options: { timeoutMs: number; input?: string }) => Promise<CommandResult>;

/**
 * The files and programs of the host a router runs on: this runner, or a remote host through its
 * connection. The nginx adapters and HAProxy's state file go through it, so the same router code
 * manages a local nginx and one on a server.
 */
export interface HostSystem {
  /** `this runner`, or the host's name, for messages. */
  readonly name: string;
  /** The file's text, or undefined when there is no such file. */
  readFile(path: string): Promise<string | undefined>;
  /** Replaces the file whole: readers see the old content or the new, never half. */
  writeFileAtomic(path: string, content: string): Promise<void>;
  /** Removes the file; a file that is gone already is not an error. */
  removeFile(path: string): Promise<void>;
  run(file: string, args: readonly string[], options: { timeoutMs: number }): Promise<CommandResult>;
}

export const localSystem: HostSystem = {
  name: 'this runner',
  async readFile(path) {
    try {
      return await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  },
  writeFileAtomic,
  removeFile: (path) => rm(path, { force: true }),
  run: (file, args, options) => runCommand(file, args, options),
};

const FILE_TIMEOUT_MS = 30_000;
const MISSING = 3;
// Positional parameters only: the path is an argument of the script, never part of its text.
const READ = `if [ -e "$1" ]; then exec cat -- "$1"; else exit ${MISSING}; fi`;
const WRITE = 'umask 022; t="$(dirname -- "$1")/.$(basename -- "$1").$$.tmp"; if cat > "$t" && mv -f -- "$t" "$1"; then exit 0; fi; rm -f -- "$t"; exit 1';

/** A remote host's files and programs through `exec`; POSIX sh and coreutils on the host, nothing else. */
export function remoteSystem(name: string, exec: HostExec): HostSystem {
  const check = async (what: string, argv: string[], input?: string): Promise<CommandResult> => {
    const result = await exec(argv, { timeoutMs: FILE_TIMEOUT_MS, ...(input === undefined ? {} : { input }) });
    if (result.exitCode !== 0 && !(what === 'read' && result.exitCode === MISSING)) {
      throw new Error(`could not ${what} ${argv.at(-1)} on ${name}: ${result.stderr.trim() || `exit code ${result.exitCode}`}`);
    }
    return result;
  };
  return {
    name,
    async readFile(path) {
      const result = await check('read', ['sh', '-c', READ, 'sh', path]);
      return result.exitCode === MISSING ? undefined : result.stdout;
    },
    async writeFileAtomic(path, content) {
      await check('write', ['sh', '-c', WRITE, 'sh', path], content);
    },
    async removeFile(path) {
      await check('remove', ['rm', '-f', '--', path]);
    },
    run: (file, args, options) => exec([file, ...args], options),
  };
}
