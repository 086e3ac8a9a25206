import { runCommand } from '../../packages/adapters/process/run-command.ts';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

/**
 * The network side of the host bed: one namespace per "server", joined to the runner by a veth pair
 * on its own /30 (10.213.<i>.0/30: runner .1, host .2). Only these addresses and loopback carry traffic.
 */

export const NAMESPACE_PREFIX = 'sidhe-h';

export function namespaceName(index: number): string {
  return `${NAMESPACE_PREFIX}${index}`;
}

export function hostAddress(index: number): string {
  return `10.213.${index}.2`;
}

export function runnerAddress(index: number): string {
  return `10.213.${index}.1`;
}

async function ip(...args: string[]): Promise<void> {
  const result = await runCommand('ip', args, { timeoutMs: 10_000 });
  if (result.exitCode !== 0) throw new Error(`ip ${args.join(' ')}: ${result.stderr.trim()}`);
}

export async function createNamespace(index: number): Promise<void> {
  const name = namespaceName(index);
  const runnerSide = `${name}-r`;
  const hostSide = `${name}-h`;
  await ip('netns', 'add', name);
  await ip('link', 'add', runnerSide, 'type', 'veth', 'peer', 'name', hostSide);
  await ip('link', 'set', hostSide, 'netns', name);
  await ip('addr', 'add', `${runnerAddress(index)}/30`, 'dev', runnerSide);
  await ip('link', 'set', runnerSide, 'up');
  await ip('-n', name, 'addr', 'add', `${hostAddress(index)}/30`, 'dev', hostSide);
  await ip('-n', name, 'link', 'set', hostSide, 'up');
  await ip('-n', name, 'link', 'set', 'lo', 'up');
}

/** Processes whose network is the namespace: the host's daemons, their sessions and containers. */
export async function namespacePids(name: string): Promise<number[]> {
  const result = await runCommand('ip', ['netns', 'pids', name], { timeoutMs: 10_000 });
  return result.stdout
    .split('\n')
    .filter((line) => /^\d+$/.test(line))
    .map(Number);
}

export async function processName(pid: number): Promise<string> {
  return (await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '')).trim();
}

/** SIGKILLs the listed processes (by id) and waits until they are gone. */
export async function killAndWait(pids: number[], timeoutMs = 5_000): Promise<void> {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  const deadline = Date.now() + timeoutMs;
  while (pids.some(running) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
}

/** Not yet dead: a zombie (state Z, waiting for a parent that may never reap it) counts as dead. */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** Kills everything in the namespace, then deletes it (which deletes its veth pair too). */
export async function removeNamespace(name: string): Promise<void> {
  for (let round = 0; round < 5; round++) {
    const pids = (await namespacePids(name)).filter(running);
    if (pids.length === 0) break;
    await killAndWait(pids);
  }
  await runCommand('ip', ['netns', 'delete', name], { timeoutMs: 10_000 });
}

/** Namespaces a killed run left behind. */
export async function bedNamespaces(): Promise<string[]> {
  const result = await runCommand('ip', ['netns', 'list'], { timeoutMs: 10_000 });
  return result.stdout
    .split('\n')
    .map((line) => line.split(' ')[0]!)
    .filter((name) => new RegExp(`^${NAMESPACE_PREFIX}\\d+$`).test(name));
}
