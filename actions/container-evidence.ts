import type { Target } from '../packages/core/deploy/target.ts';
import { gatherEvidence, LOG_LIMITS, type ContainerEvidence } from '../packages/core/monitor/container-evidence.ts';
import type { SummaryDoc } from '../packages/runtime/summary/summary-doc.ts';

/**
 * What a failure summary shows of a container: how it ended and its last log lines. The summary goes
 * through ActionIO, whose redaction masks any secret the lines print.
 */
export function evidenceSummary(evidence: ContainerEvidence): SummaryDoc {
  const ended = evidence.state === 'running' ? 'running' : `${evidence.state}, exit code ${evidence.exitCode}`;
  const health = evidence.health === 'none' ? '' : `; health ${evidence.health}${evidence.healthLog ? `: ${evidence.healthLog}` : ''}`;
  const limit = evidence.truncated ? ` (the last ${LOG_LIMITS.lines} lines within ${LOG_LIMITS.bytes / 1024} kB)` : '';
  return [
    { kind: 'heading', text: `Container ${evidence.name}`, level: 3 },
    { kind: 'paragraph', text: `${ended}${health}` },
    { kind: 'details', title: `Last log lines of ${evidence.name}${limit}`, text: evidence.logTail || '(it printed nothing)' },
  ];
}

/**
 * The evidence of one container as summary blocks, read now; nothing when it is gone. For doors whose
 * failure names a container (deploy-canary can call it with its target and the canary's name).
 */
export async function explainContainer(target: Pick<Target, 'inspect' | 'logs'>, name: string): Promise<SummaryDoc> {
  const evidence = await gatherEvidence(target, name);
  return evidence ? evidenceSummary(evidence) : [];
}
