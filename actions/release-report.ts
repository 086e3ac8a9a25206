import type { RunningRelease } from '../packages/core/deploy/target.ts';
import type { OutputWriter } from '../packages/runtime/output-writer.ts';
import type { SummaryDoc } from '../packages/runtime/summary/summary-doc.ts';

/** The outputs deploy-blue-green and rollback share: which release serves, and where. */
export function releaseOutputs(
  outputs: OutputWriter<'active-color' | 'release' | 'previous-release' | 'url'>,
  active: RunningRelease | undefined,
  previous: RunningRelease | undefined,
): void {
  outputs.set('active-color', active?.labels.colour ?? '');
  outputs.set('release', active?.labels.release ?? '');
  outputs.set('previous-release', previous?.labels.release ?? active?.labels.previousRelease ?? '');
  outputs.set('url', active ? `http://127.0.0.1:${active.labels.port}` : '');
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
