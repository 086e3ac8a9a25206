import type { Finding, GateResult, TestFailure } from '../../../packages/core/gates/index.ts';
import type { ActionIO } from '../../../packages/runtime/action-io.ts';
import type { SummaryDoc } from '../../../packages/runtime/summary/summary-doc.ts';
import type { QualityGateOutcome } from './evaluate-quality-gates.ts';

/** Lists and annotations stop here: GitHub shows 10 error annotations a step, and a summary is read, not searched. */
const MAX_LISTED = 50;

const RELATION: Record<GateResult['gate'], string> = {
  'max-failed-tests': '≤',
  'min-coverage': '≥',
  'max-sarif-errors': '≤',
  'max-severity': '≤',
  'required-checks': '',
};

function cells(result: GateResult): string[] {
  const percent = result.gate === 'min-coverage' ? '%' : '';
  const value = result.value === null ? '–' : `${result.value}${percent}`;
  const threshold = `${RELATION[result.gate]} ${result.threshold}${percent}`.trim();
  return [result.gate, value, threshold, result.passed ? '✅ pass' : '❌ fail', result.details, result.from.join(', ')];
}

const where = (l: { file?: string; line?: number }): string => (l.file ? `${l.file}${l.line ? `:${l.line}` : ''}` : 'no location');

/** One gate's result in a line: `min-coverage 72.5% (threshold 80%)`, or why it has no value. */
export const gateInBrief = (r: GateResult): string =>
  r.value === null ? `${r.gate}: ${r.details}` : `${r.gate} ${r.value}${r.gate === 'min-coverage' ? '%' : ''} (threshold ${r.threshold})`;

export const testTitle = (f: TestFailure): string => (!f.suite || f.name.includes(f.suite) || f.suite.includes(f.name) ? f.name : `${f.suite} › ${f.name}`);

export const findingTitle = (f: Finding): string => `${f.tool} ${f.rule}${f.severity ? ` (${f.severity})` : ''}`;

function capped(items: string[]): string[] {
  return items.length > MAX_LISTED ? [...items.slice(0, MAX_LISTED), `… and ${items.length - MAX_LISTED} more (see the JSON report)`] : items;
}

/** The gate's verdict, one row a gate, then what failed with where it is. */
export function qualityGateSummary(outcome: QualityGateOutcome): SummaryDoc {
  const failed = outcome.results.filter((r) => !r.passed).length;
  const scope = outcome.environment ? ` for ${outcome.environment}` : '';
  const doc: SummaryDoc = [
    { kind: 'heading', text: `Quality gate${scope}: ${outcome.passed ? '✅ passed' : '❌ failed'}`, level: 2 },
    {
      kind: 'paragraph',
      text:
        `${outcome.results.length - failed} of ${outcome.results.length} gates passed.` +
        (outcome.gateSet ? ` Gate set \`${outcome.gateSet.name}\` (${outcome.gateSet.origin}): ${outcome.gateSet.names.join(', ') || 'none'}.` : ''),
    },
    { kind: 'table', header: ['gate', 'value', 'threshold', 'result', 'details', 'asked by'], rows: outcome.results.map(cells) },
  ];
  if (outcome.failures.length > 0) {
    doc.push({ kind: 'heading', text: `Failing tests (${outcome.failures.length})`, level: 3 });
    doc.push({ kind: 'list', items: capped(outcome.failures.map((f) => `${where(f)}: ${testTitle(f)}: ${f.message}`)) });
  }
  if (outcome.findings.length > 0) {
    doc.push({ kind: 'heading', text: `Findings that fail a gate (${outcome.findings.length})`, level: 3 });
    doc.push({ kind: 'list', items: capped(outcome.findings.map((f) => `${where(f)}: ${findingTitle(f)}: ${f.message}`)) });
  }
  const files = Object.entries(outcome.reportFiles).map(([kind, list]) => `${kind}: ${list.length ? list.join(', ') : 'none matched'}`);
  if (files.length > 0) doc.push({ kind: 'details', title: 'Reports read', text: files.join('\n') });
  return doc;
}

/** An error annotation on each failing test and counted finding that names a file. */
export function annotateQualityGates(outcome: QualityGateOutcome, io: ActionIO): void {
  const located = [
    ...outcome.failures.map((f) => ({ file: f.file, line: f.line, title: testTitle(f), message: f.message })),
    ...outcome.findings.map((f) => ({ file: f.file, line: f.line, title: findingTitle(f), message: f.message })),
  ].filter((a) => a.file && !a.file.startsWith('/'));
  for (const a of located.slice(0, MAX_LISTED)) {
    io.annotate({ level: 'error', message: a.message, file: a.file!, ...(a.line ? { line: a.line } : {}), title: a.title });
  }
}
