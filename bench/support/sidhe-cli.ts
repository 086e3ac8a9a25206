import { spawn } from 'node:child_process';
import { access, cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Runs the committed CLI (`node dist/cli.js <action> ...`) as a user would, and notes when a line
 * matching `mark` appeared on its stderr (the actions log there), in this process's
 * `performance.now()` time, so it can be set against the answers a load client saw.
 */
export interface CliRun {
  exitCode: number;
  startedAt: number;
  endedAt: number;
  /** When the first stderr line matching `mark` arrived; undefined when none did. */
  markedAt: number | undefined;
  /** `outputs:` lines the CLI prints at the end, e.g. `duration-ms`. */
  outputs: Record<string, string>;
  stdout: string;
  stderr: string;
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DIST = join(ROOT, 'dist');

export interface CliCopy {
  /** The copy's `cli.js`. */
  cli: string;
  remove(): Promise<void>;
}

/**
 * A copy of dist/ (or of another build, `from`) taken once, so every command of a run is the same
 * build even when dist/ is rebuilt meanwhile (it is deleted and written anew by `npm run build`).
 * The bundles only load files beside themselves, so the copy runs as dist/ would.
 */
export async function copyDist(from: string = DIST): Promise<CliCopy> {
  await access(join(from, 'cli.js')).catch(() => {
    throw new Error(`${from}/cli.js is missing: build it with \`npm run build\``);
  });
  const dir = await mkdtemp(join(tmpdir(), 'sidhe-dist-'));
  await cp(from, dir, { recursive: true });
  return { cli: join(dir, 'cli.js'), remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Runs `node <cli> ...args` in the repository's root, as `node dist/cli.js` would run there. */
export function runSidheCli(cli: string, args: readonly string[], options: { env: NodeJS.ProcessEnv; mark?: RegExp; timeoutMs: number }): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const startedAt = performance.now();
    const child = spawn(process.execPath, [cli, ...args], { cwd: ROOT, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    let stdout = '';
    let stderr = '';
    let markedAt: number | undefined;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      const at = performance.now();
      stderr += chunk;
      if (markedAt === undefined && options.mark?.test(stderr)) markedAt = at;
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        exitCode: code ?? (signal ? 128 : 1),
        startedAt,
        endedAt: performance.now(),
        markedAt,
        outputs: parseOutputs(stdout),
        stdout,
        stderr,
      });
    });
  });
}

function parseOutputs(stdout: string): Record<string, string> {
  const block = stdout.slice(stdout.lastIndexOf('\noutputs:\n') + 1);
  return Object.fromEntries([...block.matchAll(/^ {2}([a-z0-9-]+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!]));
}
