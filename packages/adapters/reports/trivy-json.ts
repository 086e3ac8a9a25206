import type { Finding, FindingLevel, FindingsReport } from '../../core/gates/index.ts';
import type { Severity } from '../../core/images/severity.ts';
import { TrivyReportError, normaliseTrivyReport } from '../scanner/trivy-report.ts';
import { firstLine } from '../../core/message-bounds.ts';
import { parseJson, reportError } from './report-error.ts';

const KIND = 'trivy';

/** The level trivy's own SARIF writer gives each severity. */
const LEVEL: Record<Severity, FindingLevel> = { CRITICAL: 'error', HIGH: 'error', MEDIUM: 'warning', LOW: 'note', UNKNOWN: 'note' };

/** trivy's JSON report (`--format json`) of an image or a file system: vulnerabilities, secrets, misconfigurations. */
export function parseTrivyJson(file: string, content: string): FindingsReport {
  const json = parseJson(KIND, file, content);
  let scan;
  try {
    scan = normaliseTrivyReport(json);
  } catch (error) {
    if (error instanceof TrivyReportError) throw reportError(KIND, file, `cannot be read: ${firstLine(error.message)}`);
    throw error;
  }
  const findings = scan.findings.map((f): Finding => ({
    report: file,
    tool: 'trivy',
    rule: f.id,
    message: f.kind === 'vulnerability' ? `${f.id} in ${f.packageName} ${f.installedVersion}${f.title ? `: ${f.title}` : ''}` : f.title || f.id,
    level: LEVEL[f.severity],
    severity: f.severity,
    // Secrets and misconfigurations name a file; vulnerabilities name a package's target (an OS, a lock file).
    ...(f.kind === 'vulnerability' ? {} : { file: f.target }),
    ...(f.line ? { line: f.line } : {}),
    suppressed: false,
  }));
  return { report: file, tool: 'trivy', findings };
}
