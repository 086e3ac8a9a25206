import { SEVERITIES, severityRank, type Severity } from '../images/severity.ts';
import type { GateName, GatePolicy, ResolvedPolicy } from './gate-policy.ts';
import { evaluateRequiredChecks } from './required-checks.ts';
import type { Finding, GateEvidence, ReportsOf, TestFailure } from './report-data.ts';

export interface GateResult {
  gate: GateName;
  /** What the reports showed: a count, a percentage, a severity; null when no report could say. */
  value: number | string | null;
  threshold: number | string;
  passed: boolean;
  details: string;
  /** What asked for the gate: named gates (`linting_check`), `input max-severity`, `default`. */
  from: string[];
}

export interface GateEvaluation {
  passed: boolean;
  results: GateResult[];
  /** Failed and errored tests, for the summary and annotations. */
  failures: TestFailure[];
  /** The findings that count against a gate (SARIF errors, severities above the threshold). */
  findings: Finding[];
}

const INPUT_OF: Record<Exclude<GateName, 'required-checks'>, string> = {
  'max-failed-tests': 'junit',
  'min-coverage': 'coverage',
  'max-sarif-errors': 'sarif',
  'max-severity': 'trivy or sarif',
};

/** Why no report can be read, or undefined when every given input matched at least one file. */
function missingReports(gate: Exclude<GateName, 'required-checks'>, ...sets: (ReportsOf<unknown> | undefined)[]): string | undefined {
  const given = sets.filter((s): s is ReportsOf<unknown> => s !== undefined);
  if (given.length === 0) return `no report given: set the ${INPUT_OF[gate]} input`;
  const empty = given.find((s) => s.reports.length === 0);
  if (empty) return `no report matched ${empty.patterns.map((p) => `\`${p}\``).join(', ')}`;
  return undefined;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

function testsGate(max: number, evidence: GateEvidence): Omit<GateResult, 'from'> & { failures: TestFailure[] } {
  const missing = missingReports('max-failed-tests', evidence.junit);
  if (missing) return { gate: 'max-failed-tests', value: null, threshold: max, passed: false, details: missing, failures: [] };
  const reports = evidence.junit!.reports;
  const sum = (key: 'total' | 'passed' | 'failed' | 'errored' | 'skipped'): number => reports.reduce((n, r) => n + r[key], 0);
  const bad = sum('failed') + sum('errored');
  const counts = `${sum('total')} tests: ${sum('passed')} passed, ${sum('failed')} failed, ${sum('errored')} errored, ${sum('skipped')} skipped`;
  return {
    gate: 'max-failed-tests',
    value: bad,
    threshold: max,
    passed: bad <= max,
    details: `${counts} (${plural(reports.length, 'report')})`,
    failures: reports.flatMap((r) => r.failures),
  };
}

function coverageGate(min: number, evidence: GateEvidence): Omit<GateResult, 'from'> {
  const missing = missingReports('min-coverage', evidence.coverage);
  if (missing) return { gate: 'min-coverage', value: null, threshold: min, passed: false, details: missing };
  const reports = evidence.coverage!.reports;
  const covered = reports.reduce((n, r) => n + r.linesCovered, 0);
  const total = reports.reduce((n, r) => n + r.linesTotal, 0);
  if (total === 0) {
    return {
      gate: 'min-coverage',
      value: null,
      threshold: min,
      passed: false,
      details: `the coverage reports count no lines (${plural(reports.length, 'report')})`,
    };
  }
  const pct = (covered / total) * 100;
  return {
    gate: 'min-coverage',
    value: Math.round(pct * 100) / 100,
    threshold: min,
    passed: pct >= min,
    details: `${covered} of ${total} lines covered (${plural(reports.length, 'report')}: ${[...new Set(reports.map((r) => r.format))].join(', ')})`,
  };
}

function sarifGate(max: number, evidence: GateEvidence): Omit<GateResult, 'from'> & { findings: Finding[] } {
  const missing = missingReports('max-sarif-errors', evidence.sarif);
  if (missing) return { gate: 'max-sarif-errors', value: null, threshold: max, passed: false, details: missing, findings: [] };
  const all = evidence.sarif!.reports.flatMap((r) => r.findings);
  const counted = all.filter((f) => !f.suppressed && f.level === 'error');
  const warnings = all.filter((f) => !f.suppressed && f.level === 'warning').length;
  const suppressed = all.filter((f) => f.suppressed).length;
  const tools = [...new Set(evidence.sarif!.reports.map((r) => r.tool))].join(', ');
  return {
    gate: 'max-sarif-errors',
    value: counted.length,
    threshold: max,
    passed: counted.length <= max,
    details: `${plural(counted.length, 'error')}, ${plural(warnings, 'warning')}, ${suppressed} suppressed (${tools})`,
    findings: counted,
  };
}

function severityGate(max: Severity, evidence: GateEvidence): Omit<GateResult, 'from'> & { findings: Finding[] } {
  const missing = missingReports('max-severity', evidence.trivy, evidence.sarif);
  if (missing) return { gate: 'max-severity', value: null, threshold: max, passed: false, details: missing, findings: [] };
  const rated = [...(evidence.trivy?.reports ?? []), ...(evidence.sarif?.reports ?? [])]
    .flatMap((r) => r.findings)
    .filter((f): f is Finding & { severity: Severity } => !f.suppressed && f.severity !== undefined);
  const highest = rated.reduce<Severity | undefined>((top, f) => (top && severityRank(top) >= severityRank(f.severity) ? top : f.severity), undefined);
  const above = rated.filter((f) => severityRank(f.severity) > severityRank(max));
  const counts = [...SEVERITIES]
    .reverse()
    .map((s) => [s, rated.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`);
  return {
    gate: 'max-severity',
    value: highest ?? 'none',
    threshold: max,
    passed: above.length === 0,
    details: rated.length ? `${plural(rated.length, 'finding')}: ${counts.join(', ')}; ${above.length} above ${max}` : 'no findings with a severity',
    findings: above,
  };
}

/**
 * Evaluates every gate the policy sets against the evidence, one result per gate. A gate whose
 * reports are missing fails: a missing report is never a pass.
 */
export function evaluateGates({ policy, from }: ResolvedPolicy, evidence: GateEvidence): GateEvaluation {
  const results: GateResult[] = [];
  const failures: TestFailure[] = [];
  const findings: Finding[] = [];
  const add = (result: Omit<GateResult, 'from'>): void => void results.push({ ...result, from: from[result.gate] ?? [] });
  const p: GatePolicy = policy;
  if (p.maxFailedTests !== undefined) {
    const { failures: f, ...result } = testsGate(p.maxFailedTests, evidence);
    add(result);
    failures.push(...f);
  }
  if (p.minCoverage !== undefined) add(coverageGate(p.minCoverage, evidence));
  if (p.maxSarifErrors !== undefined) {
    const { findings: f, ...result } = sarifGate(p.maxSarifErrors, evidence);
    add(result);
    findings.push(...f);
  }
  if (p.maxSeverity !== undefined) {
    const { findings: f, ...result } = severityGate(p.maxSeverity, evidence);
    add(result);
    findings.push(...f.filter((x) => !findings.includes(x)));
  }
  if (p.requiredChecks !== undefined) add(evaluateRequiredChecks(p.requiredChecks, evidence.checks));
  return { passed: results.every((r) => r.passed), results, failures, findings };
}
