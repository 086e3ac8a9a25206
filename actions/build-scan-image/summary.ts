import { describeFinding, SEVERITIES, type Finding, type GateResult } from '../../packages/core/images/index.ts';
import type { SummaryBlock, SummaryDoc } from '../../packages/runtime/summary/summary-doc.ts';
import type { RetentionOutcome } from './retention-step.ts';

export interface BuildScanReport {
  verdict: string;
  tags: string[];
  imageId?: string;
  digest?: string;
  builder?: string;
  buildMs?: number;
  scan?: { gate: GateResult; threshold: string; scanners: string[]; forcedBy?: string };
  retention?: RetentionOutcome;
  retentionSkipped?: string;
}

const WORST = 10;

const where = (f: Finding): string =>
  f.kind === 'vulnerability' ? `${f.packageName ?? ''} ${f.installedVersion ?? ''}`.trim() || f.target : `${f.target}${f.line ? `:${f.line}` : ''}`;

export function buildScanSummary(report: BuildScanReport): SummaryDoc {
  const doc: SummaryBlock[] = [
    { kind: 'heading', text: 'Build and scan image', level: 2 },
    { kind: 'paragraph', text: report.verdict },
    {
      kind: 'table',
      header: ['tag', 'digest'],
      rows: report.tags.map((tag) => [tag, report.digest ?? (report.imageId ? `not pushed (image ${report.imageId.slice(0, 19)})` : 'not built')]),
    },
  ];
  if (report.builder && report.buildMs !== undefined)
    doc.push({ kind: 'paragraph', text: `Built with the ${report.builder} builder in ${(report.buildMs / 1000).toFixed(1)} s.` });
  if (report.scan) doc.push(...scanBlocks(report.scan));
  if (report.retention) doc.push(...retentionBlocks(report.retention));
  else if (report.retentionSkipped) doc.push({ kind: 'paragraph', text: `Retention did not run: ${report.retentionSkipped}.` });
  return doc;
}

function scanBlocks({ gate, threshold, scanners, forcedBy }: NonNullable<BuildScanReport['scan']>): SummaryBlock[] {
  const blocks: SummaryBlock[] = [
    { kind: 'heading', text: `Scan (${scanners.join(', ')}; fails at ${threshold} or above)`, level: 3 },
    ...(forcedBy ? [{ kind: 'paragraph' as const, text: `The scan ran although scan was off: ${forcedBy}.` }] : []),
    { kind: 'table', header: [...SEVERITIES].reverse(), rows: [[...SEVERITIES].reverse().map((s) => String(gate.counts[s]))] },
  ];
  if (gate.counted.length > 0) {
    blocks.push({
      kind: 'table',
      header: ['severity', 'finding', 'kind', 'where', 'fixed in'],
      rows: gate.counted
        .slice(0, WORST)
        .map((f) => [f.severity, f.title ? `${f.id}: ${f.title}` : f.id, f.kind, where(f), f.kind === 'vulnerability' ? f.fixedVersion || 'no fix yet' : '']),
    });
    if (gate.counted.length > WORST) blocks.push({ kind: 'paragraph', text: `${gate.counted.length - WORST} more finding(s) in the report.` });
  }
  const notes = [
    ...gate.ignored.map(({ finding, rule }) => `ignored until ${rule.expiresOn}: ${describeFinding(finding)}; ${rule.statement}`),
    ...gate.expired.map(({ finding, rule }) => `ignore expired on ${rule.expiresOn}, counts again: ${describeFinding(finding)}`),
    ...(gate.unfixedSkipped > 0 ? [`${gate.unfixedSkipped} vulnerabilit(ies) without a fix left out (ignore-unfixed)`] : []),
  ];
  if (notes.length > 0) blocks.push({ kind: 'list', items: notes });
  return blocks;
}

function retentionBlocks(outcome: RetentionOutcome): SummaryBlock[] {
  const { plan, deleted, dryRun, requests } = outcome;
  const verb = dryRun ? 'would delete (dry run)' : 'deleted';
  return [
    { kind: 'heading', text: 'Retention', level: 3 },
    {
      kind: 'paragraph',
      text: `${deleted.length} tag(s) ${verb}, ${plan.decisions.length - deleted.length} kept; ${plan.otherImages} image(s) of other environments untouched; ${requests} registry request(s).`,
    },
    ...(plan.decisions.length > 0
      ? [
          {
            kind: 'table' as const,
            header: ['tag', 'verdict', 'why'],
            rows: plan.decisions.map((d) => [d.tag, d.verdict === 'delete' ? (dryRun ? 'would delete' : 'deleted') : 'kept', d.reason]),
          },
        ]
      : []),
  ];
}
