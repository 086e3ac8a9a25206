import type { RunningRelease } from '../packages/core/deploy/target.ts';
import type { ActionIO } from '../packages/runtime/action-io.ts';
import type { SummaryDoc } from '../packages/runtime/summary/summary-doc.ts';

/** The outputs deploy-blue-green and rollback share: which release serves, and where. */
export function releaseOutputs(io: ActionIO, active: RunningRelease | undefined, previous: RunningRelease | undefined): void {
  io.setOutput('active-color', active?.labels.colour ?? '');
  io.setOutput('release', active?.labels.release ?? '');
  io.setOutput('previous-release', previous?.labels.release ?? active?.labels.previousRelease ?? '');
  io.setOutput('url', active ? `http://127.0.0.1:${active.labels.port}` : '');
}

const row = (role: string, r: RunningRelease): string[] => [
  role,
  r.labels.release,
  r.labels.colour,
  r.labels.image,
  r.labels.imageDigest.slice(0, 19),
  r.status.running ? 'running' : r.status.state,
  r.labels.deployedAt,
];

export function releaseSummary(title: string, verdict: string, active?: RunningRelease, previous?: RunningRelease): SummaryDoc {
  const rows = [...(active ? [row('serving', active)] : []), ...(previous ? [row('previous', previous)] : [])];
  return [
    { kind: 'heading', text: title, level: 2 },
    { kind: 'paragraph', text: verdict },
    ...(rows.length ? [{ kind: 'table' as const, header: ['role', 'release', 'colour', 'image', 'digest', 'state', 'deployed at'], rows }] : []),
  ];
}
