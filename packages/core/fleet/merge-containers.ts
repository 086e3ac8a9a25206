import type { ContainerStatus, ReleaseContainer } from '../deploy/target.ts';

/** What one host listed. */
export interface HostContainers {
  host: string;
  containers: readonly ReleaseContainer[];
}

/** A container that differs between hosts (missing on some, another release on others) runs nowhere as far as the fleet goes. */
const DIVERGED: ContainerStatus = { state: 'diverged', running: false, exitCode: 0, health: 'none' };

/**
 * One list for the fleet, each container name once. The same release on every host is that release,
 * running only when it runs on every host (else the state of the first host where it does not).
 * Anything else is a divergence, said in `divergences`: the first host's labels with the state
 * `diverged`, so a deploy replaces it in the idle colour and a rollback restarts it everywhere. Labels
 * that do not decode on some host make the container untrusted for the fleet.
 */
export function mergeContainers(lists: readonly HostContainers[]): { containers: ReleaseContainer[]; divergences: string[] } {
  const names = [...new Set(lists.flatMap((list) => list.containers.map((c) => c.name)))];
  const containers: ReleaseContainer[] = [];
  const divergences: string[] = [];
  for (const name of names) {
    const found = lists.map((list) => list.containers.find((c) => c.name === name));
    const untrusted = found.findIndex((c) => c !== undefined && !c.trusted);
    if (untrusted >= 0) {
      const c = found[untrusted] as Extract<ReleaseContainer, { trusted: false }>;
      containers.push({ ...c, problem: `${lists[untrusted]!.host}: ${c.problem}` });
      continue;
    }
    const trusted = found.filter((c) => c !== undefined).filter((c) => c.trusted);
    const releases = new Set(found.map((c) => (c?.trusted ? c.labels.release : undefined)));
    const first = trusted[0]!;
    if (releases.size === 1) {
      containers.push({ ...first, status: trusted.find((c) => !c.status.running)?.status ?? first.status });
      continue;
    }
    const each = found.map((c, i) => `${lists[i]!.host} ${c?.trusted ? `${c.labels.release} ${c.status.state}` : 'missing'}`);
    divergences.push(`${name}: ${each.join(', ')}`);
    containers.push({ ...first, status: DIVERGED });
  }
  return { containers, divergences };
}

/** Which host's container explains most: the first not running, else the first unhealthy, else the first there. */
export function mostTelling(found: readonly (ReleaseContainer | undefined)[]): number | undefined {
  const index = [
    found.findIndex((c) => c !== undefined && !c.status.running),
    found.findIndex((c) => c?.status.health === 'unhealthy'),
    found.findIndex((c) => c !== undefined),
  ].find((i) => i >= 0);
  return index;
}
