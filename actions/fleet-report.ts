import { ActionFailure } from '../packages/core/errors.ts';
import { readFleetReleases, type FleetHost, type HostRelease } from '../packages/core/fleet/index.ts';
import type { Logger } from '../packages/core/logger.ts';
import type { OutputWriter } from '../packages/runtime/output-writer.ts';
import type { SummaryDoc } from '../packages/runtime/summary/summary-doc.ts';

export interface FleetReport {
  summary: SummaryDoc;
  /** Set when the hosts do not all serve one running release. */
  split?: string;
}

/**
 * After a traffic action on remote hosts, each host read on its own: the `hosts` output, a table for
 * the summary, and whether the fleet is split. Nothing (and an empty output) without remote hosts.
 * Read before the connections close, on success and on failure alike.
 */
export async function reportFleet(
  hosts: readonly FleetHost[],
  scope: { app: string; environment: string },
  outputs: OutputWriter<'hosts'>,
  logger: Logger,
): Promise<FleetReport> {
  if (hosts.length === 0) {
    outputs.set('hosts', '');
    return { summary: [] };
  }
  const { hosts: states, split } = await readFleetReleases(hosts, scope, logger);
  outputs.set('hosts', JSON.stringify(Object.fromEntries(states.map((state) => [state.host, hostOutput(state)]))));
  const summary: SummaryDoc = [
    { kind: 'heading', text: 'Hosts', level: 3 },
    ...(split ? [{ kind: 'paragraph' as const, text: `❌ ${split}` }] : []),
    { kind: 'table', header: ['host', 'release', 'colour', 'state', 'traffic'], rows: states.map(hostRow) },
  ];
  return { summary, ...(split ? { split } : {}) };
}

/** A fleet left split fails the run even when the strategy said it succeeded. */
export function failOnSplit(report: FleetReport): void {
  if (report.split) throw new ActionFailure(`${report.split}; re-run the action, or roll back, until every host serves one release`);
}

function hostOutput(state: HostRelease): Record<string, string> {
  if (state.error !== undefined) return { error: state.error };
  return { release: state.release?.labels.release ?? '', colour: state.release?.labels.colour ?? '', traffic: state.traffic ?? '' };
}

function hostRow(state: HostRelease): string[] {
  if (state.error !== undefined) return [state.host, '—', '—', `unreadable: ${state.error}`, '—'];
  const release = state.release;
  return [
    state.host,
    release?.labels.release ?? 'none',
    release?.labels.colour ?? '—',
    release ? (release.status.running ? 'running' : release.status.state) : '—',
    state.traffic ?? '—',
  ];
}
