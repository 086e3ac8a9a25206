/**
 * Report data as the gates read it, whatever tool wrote it: the adapters in adapters/reports turn
 * JUnit XML, lcov, Cobertura, istanbul, SARIF and trivy JSON into these shapes.
 */
import type { Severity } from '../images/severity.ts';

/** A place in the repository; `file` is relative to the workspace where the report allowed it. */
export interface SourceLocation {
  file?: string;
  line?: number;
}

export interface TestFailure extends SourceLocation {
  /** Suite or class the test belongs to, as the tool named it. */
  suite: string;
  name: string;
  status: 'failed' | 'errored';
  /** The first line of the tool's failure message. */
  message: string;
}

/** One JUnit XML file. `failed` are assertion failures, `errored` are errors outside assertions. */
export interface TestReport {
  report: string;
  tool: string;
  total: number;
  passed: number;
  failed: number;
  errored: number;
  /** Skipped, todo and expected failures: tests that ran no verdict. */
  skipped: number;
  failures: TestFailure[];
}

export type CoverageFormat = 'lcov' | 'cobertura' | 'istanbul';

/** Line coverage of one coverage file. */
export interface CoverageReport {
  report: string;
  format: CoverageFormat;
  linesCovered: number;
  linesTotal: number;
}

export type FindingLevel = 'error' | 'warning' | 'note' | 'none';

/** A SARIF result or a trivy finding. */
export interface Finding extends SourceLocation {
  report: string;
  tool: string;
  rule: string;
  message: string;
  level: FindingLevel;
  /** Security severity, where the tool gave one (trivy; SARIF `security-severity`). */
  severity?: Severity;
  /** Suppressed in source or accepted elsewhere: listed, never counted. */
  suppressed: boolean;
}

export interface FindingsReport {
  report: string;
  tool: string;
  findings: Finding[];
}

/** A check run on the commit, as GitHub reports it. */
export interface CheckRunView {
  name: string;
  status: string;
  conclusion: string | null;
  /** Where the run's page is; Actions jobs link to `/actions/runs/<run id>/job/<job id>`. */
  detailsUrl?: string;
}

/** The reports of one input: the patterns the user gave and what they matched (none given: undefined). */
export interface ReportsOf<R> {
  patterns: string[];
  reports: R[];
}

export interface GateEvidence {
  junit?: ReportsOf<TestReport>;
  coverage?: ReportsOf<CoverageReport>;
  sarif?: ReportsOf<FindingsReport>;
  trivy?: ReportsOf<FindingsReport>;
  checks?: { ref: string; runs: CheckRunView[]; ownRunId?: string };
}
