import type { HostSystem } from '../host/host-system.ts';

/**
 * Watches an nginx master's workers through /proc, to know when a reload has taken effect:
 * `nginx -s reload` only sends a signal, and the master starts new workers, waits 100 ms, then tells
 * the old ones to stop accepting and finish what they hold ("worker process is shutting down").
 */
export type Workers = Map<number, string>;

/** The master's children and their titles, or undefined when this host cannot see them (nginx in a container). */
export async function readWorkers(masterPid: number, system: HostSystem): Promise<Workers | undefined> {
  const readFile = async (path: string): Promise<string> => {
    const text = await system.readFile(path);
    if (text === undefined) throw new Error(`no ${path}`);
    return text;
  };
  const readTitle = async (pid: number): Promise<string> => (await readFile(`/proc/${pid}/cmdline`)).replace(/\0+/g, ' ').trim();
  try {
    const title = await readTitle(masterPid);
    if (!title.startsWith('nginx: master')) return undefined;
    const children = await readFile(`/proc/${masterPid}/task/${masterPid}/children`);
    const pids = children.split(' ').filter(Boolean).map(Number);
    const titles = await Promise.all(pids.map((pid) => readTitle(pid).catch(() => '')));
    return new Map(pids.map((pid, index) => [pid, titles[index]!]).filter(([, title]) => title !== '') as [number, string][]);
  } catch {
    return undefined;
  }
}

/** True once a new worker runs and no worker from `before` still accepts new connections. */
export function reloaded(before: Workers, now: Workers): boolean {
  const fresh = [...now].some(([pid, title]) => !before.has(pid) && title.startsWith('nginx: worker process'));
  const stale = [...before].some(([pid, title]) => title === 'nginx: worker process' && now.get(pid) === 'nginx: worker process');
  return fresh && !stale;
}

/** The `pid` directive from `nginx -T` output, else the compiled-in path from `nginx -V`. */
export function pidFileFrom(dump: string, version: string, prefix: string | undefined): string | undefined {
  const directive = /^\s*pid\s+([^\s;]+)\s*;/m.exec(dump)?.[1];
  const path = directive ?? /--pid-path=(\S+)/.exec(version)?.[1];
  if (path === undefined || path.startsWith('/')) return path;
  const base = prefix ?? /--prefix=(\S+)/.exec(version)?.[1] ?? '/';
  return `${base.replace(/\/?$/, '/')}${path}`;
}
