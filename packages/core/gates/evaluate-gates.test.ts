import { describe, expect, it } from 'vitest';
import { evaluateGates } from './evaluate-gates.ts';
import { resolvePolicy, type GatePolicy } from './gate-policy.ts';
import type { Finding, GateEvidence, TestReport } from './report-data.ts';

const policy = (p: GatePolicy) => resolvePolicy(undefined, p, {});

const tests = (report: string, failed: number, extra: Partial<TestReport> = {}): TestReport => ({
  report,
  tool: 'junit',
  total: 10,
  passed: 10 - failed,
  failed,
  errored: 0,
  skipped: 0,
  failures: Array.from({ length: failed }, (_, i) => ({
    suite: 's',
    name: `t${i}`,
    status: 'failed' as const,
    message: 'boom',
    file: 'a.test.js',
    line: i + 1,
  })),
  ...extra,
});

const finding = (f: Partial<Finding>): Finding => ({ report: 'r.sarif', tool: 'ESLint', rule: 'x', message: 'm', level: 'error', suppressed: false, ...f });

describe('the tests gate', () => {
  it('counts failures and errors over all reports against max-failed-tests', () => {
    const evidence: GateEvidence = {
      junit: { patterns: ['**/*.xml'], reports: [tests('a.xml', 1), tests('b.xml', 0, { errored: 1, passed: 8, skipped: 1 })] },
    };
    const ok = evaluateGates(policy({ maxFailedTests: 2 }), evidence);
    expect(ok.results).toEqual([
      {
        gate: 'max-failed-tests',
        value: 2,
        threshold: 2,
        passed: true,
        details: '20 tests: 17 passed, 1 failed, 1 errored, 1 skipped (2 reports)',
        from: ['input max-failed-tests'],
      },
    ]);
    expect(ok.failures).toHaveLength(1);
    expect(evaluateGates(policy({ maxFailedTests: 1 }), evidence).passed).toBe(false);
  });

  it('fails when no report matched, naming the patterns, and when none was given', () => {
    const none = evaluateGates(policy({ maxFailedTests: 0 }), { junit: { patterns: ['test-results/*.xml'], reports: [] } });
    expect(none.results[0]).toMatchObject({ passed: false, value: null, details: 'no report matched `test-results/*.xml`' });
    const missing = evaluateGates(policy({ maxFailedTests: 0 }), {});
    expect(missing.results[0]).toMatchObject({ passed: false, details: 'no report given: set the junit input' });
  });
});

describe('the coverage gate', () => {
  const coverage = (covered: number, total: number) => ({ report: 'lcov.info', format: 'lcov' as const, linesCovered: covered, linesTotal: total });

  it('sums lines over reports and compares the percentage with min-coverage', () => {
    const evidence: GateEvidence = { coverage: { patterns: ['coverage/*'], reports: [coverage(26, 34), coverage(16, 20)] } };
    const result = evaluateGates(policy({ minCoverage: 78 }), evidence).results[0];
    expect(result).toMatchObject({ value: 77.78, threshold: 78, passed: false, details: '42 of 54 lines covered (2 reports: lcov)' });
    expect(evaluateGates(policy({ minCoverage: 77.7 }), evidence).passed).toBe(true);
  });

  it('fails on reports that count no lines, and on no report', () => {
    expect(evaluateGates(policy({ minCoverage: 0 }), { coverage: { patterns: ['c'], reports: [coverage(0, 0)] } }).passed).toBe(false);
    expect(evaluateGates(policy({ minCoverage: 0 }), { coverage: { patterns: ['coverage/*.xml'], reports: [] } }).results[0]!.details).toBe(
      'no report matched `coverage/*.xml`',
    );
  });
});

describe('the SARIF and severity gates', () => {
  const sarif = {
    patterns: ['*.sarif'],
    reports: [
      {
        report: 'r.sarif',
        tool: 'ESLint',
        findings: [
          finding({ rule: 'a' }),
          finding({ rule: 'b', suppressed: true }),
          finding({ rule: 'c', level: 'warning' }),
          finding({ rule: 'd', level: 'warning', severity: 'HIGH', tool: 'CodeQL' }),
        ],
      },
    ],
  };
  const trivy = {
    patterns: ['trivy.json'],
    reports: [
      {
        report: 'trivy.json',
        tool: 'trivy',
        findings: [finding({ tool: 'trivy', rule: 'CVE-1', severity: 'CRITICAL' }), finding({ tool: 'trivy', rule: 'CVE-2', severity: 'LOW', level: 'note' })],
      },
    ],
  };

  it('counts unsuppressed errors against max-sarif-errors', () => {
    const { results, findings } = evaluateGates(policy({ maxSarifErrors: 0 }), { sarif });
    expect(results[0]).toMatchObject({ value: 1, passed: false, details: '1 error, 2 warnings, 1 suppressed (ESLint)' });
    expect(findings.map((f) => f.rule)).toEqual(['a']);
  });

  it('takes the highest severity of trivy findings and SARIF security results', () => {
    const { results, findings } = evaluateGates(policy({ maxSeverity: 'HIGH' }), { sarif, trivy });
    expect(results[0]).toMatchObject({
      gate: 'max-severity',
      value: 'CRITICAL',
      threshold: 'HIGH',
      passed: false,
      details: '3 findings: 1 CRITICAL, 1 HIGH, 1 LOW; 1 above HIGH',
    });
    expect(findings.map((f) => f.rule)).toEqual(['CVE-1']);
    expect(evaluateGates(policy({ maxSeverity: 'CRITICAL' }), { trivy }).passed).toBe(true);
  });

  it('fails the severity gate when any report input it reads matched nothing', () => {
    const result = evaluateGates(policy({ maxSeverity: 'HIGH' }), { sarif, trivy: { patterns: ['scan/*.json'], reports: [] } }).results[0];
    expect(result).toMatchObject({ passed: false, details: 'no report matched `scan/*.json`' });
    expect(evaluateGates(policy({ maxSeverity: 'HIGH' }), {}).results[0]!.details).toBe('no report given: set the trivy or sarif input');
  });

  it('reports "none" when nothing has a severity', () => {
    expect(
      evaluateGates(policy({ maxSeverity: 'LOW' }), { trivy: { patterns: ['t'], reports: [{ report: 't', tool: 'trivy', findings: [] }] } }).results[0],
    ).toMatchObject({
      value: 'none',
      passed: true,
      details: 'no findings with a severity',
    });
  });
});

describe('all gates together', () => {
  it('give one result per gate in a fixed order, and pass only when every gate passes', () => {
    const evaluation = evaluateGates(resolvePolicy({ origin: 'x', names: ['basic_tests', 'linting_check'] }, { minCoverage: 50 }, {}), {
      junit: { patterns: ['j'], reports: [tests('j', 0)] },
      coverage: { patterns: ['c'], reports: [{ report: 'c', format: 'istanbul', linesCovered: 1, linesTotal: 2 }] },
      sarif: { patterns: ['s'], reports: [] },
    });
    expect(evaluation.results.map((r) => [r.gate, r.passed, r.from])).toEqual([
      ['max-failed-tests', true, ['basic_tests']],
      ['min-coverage', true, ['input min-coverage']],
      ['max-sarif-errors', false, ['linting_check']],
    ]);
    expect(evaluation.passed).toBe(false);
  });
});
