import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';

export interface CommandOptions {
  /** Written to the command's stdin (how passwords reach `docker login`: never on the command line). */
  input?: string;
  /** Piped to stdin instead of `input`, so `docker save` can feed a remote `docker load` without holding the image. */
  stdin?: Readable;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Kill the command after this long; the result then says `timedOut`. */
  timeoutMs?: number;
  /** Aborting it kills the command with SIGKILL. */
  signal?: AbortSignal;
  /** Sees stdout as it arrives (progress, or a moment to abort at). */
  onStdout?: (chunk: string) => void;
}

export interface CommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/**
 * Runs a program with an argument array, never through a shell, so no input can become shell syntax.
 * Written on node:child_process rather than @actions/exec because we need timeouts (a `docker` call
 * over ssh can hang) and no command echo in the log.
 */
export function runCommand(file: string, args: readonly string[], options: CommandOptions = {}): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(options.signal ? { signal: options.signal, killSignal: 'SIGKILL' as const } : {}),
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let timedOut = false;
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            child.kill('SIGKILL');
            // A child may have handed its pipes on (an ssh session gives them to its master): stop
            // reading, or 'close' would wait for whoever holds them.
            child.stdout.destroy();
            child.stderr.destroy();
          }, options.timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout.push(chunk);
      options.onStdout?.(chunk.toString('utf8'));
    });
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (error) => {
      if (error.name === 'AbortError') return; // killed on purpose: 'close' reports it
      clearTimeout(timer);
      reject(new Error(`could not start ${file}: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        exitCode: code ?? (signal ? 128 : 1),
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        timedOut,
      });
    });
    child.stdin.on('error', () => {}); // a command that exits without reading its stdin is not our error
    if (options.stdin) options.stdin.pipe(child.stdin);
    else child.stdin.end(options.input ?? '');
  });
}
