import { mapLimit } from '../map-limit.ts';
import type { DeploymentRecord } from './deployment-record.ts';

/** Commit dates are asked this many at a time: GitHub allows bursts, not floods. */
const CONCURRENT_LOOKUPS = 8;

/**
 * Sets `committedAt` on the succeeded deploys (the ones lead time counts), asking `lookup` once per
 * distinct commit; a commit it does not know stays without one.
 */
export async function addCommitTimes(records: readonly DeploymentRecord[], lookup: (sha: string) => Promise<number | undefined>): Promise<void> {
  const delivered = records.filter((r) => r.kind === 'deploy' && r.outcome === 'succeeded' && r.commit && r.committedAt === undefined);
  const shas = [...new Set(delivered.map((r) => r.commit!))];
  const times = new Map(await mapLimit(shas, CONCURRENT_LOOKUPS, async (sha) => [sha, await lookup(sha)] as const));
  for (const record of delivered) {
    const time = times.get(record.commit!);
    if (time !== undefined) record.committedAt = time;
  }
}
