import { emptyCounts, severityRank, type Severity, type SeverityCounts } from './severity.ts';

export type FindingKind = 'vulnerability' | 'secret' | 'misconfiguration';

/** One finding of a scanner, in the shape the gate and the summary read (see adapters/scanner for trivy's). */
export interface Finding {
  kind: FindingKind;
  /** CVE id, secret rule id (`aws-access-key-id`) or misconfiguration id (`DS002`). */
  id: string;
  severity: Severity;
  /** Where: an OS, a lock file, a file path in the image. */
  target: string;
  title: string;
  /** Vulnerabilities: the package, its installed version and the version that fixes it ('' when none does yet). */
  packageName?: string;
  installedVersion?: string;
  fixedVersion?: string;
  /** Secrets: the line it starts on. */
  line?: number;
}

/** A scan's findings, whatever scanner made them. */
export interface ScanReport {
  /** What was scanned, e.g. the image reference. */
  artifact: string;
  findings: Finding[];
}

export function countBySeverity(findings: readonly Finding[]): SeverityCounts {
  const counts = emptyCounts();
  for (const finding of findings) counts[finding.severity] += 1;
  return counts;
}

/** Most severe first; then vulnerabilities with a fix before those without; then by id. */
export function bySeverity(a: Finding, b: Finding): number {
  return severityRank(b.severity) - severityRank(a.severity) || Number(Boolean(b.fixedVersion)) - Number(Boolean(a.fixedVersion)) || a.id.localeCompare(b.id);
}

/** One line naming a finding, never its secret: `secret aws-access-key-id (AWS Access Key ID, CRITICAL) in /app/credentials:1`. */
export function describeFinding(finding: Finding): string {
  const where =
    finding.kind === 'vulnerability'
      ? `${finding.packageName ?? finding.target} ${finding.installedVersion ?? ''}`.trim() +
        (finding.fixedVersion ? ` (fixed in ${finding.fixedVersion})` : ' (no fix yet)')
      : `${finding.target}${finding.line ? `:${finding.line}` : ''}`;
  const kind = finding.kind === 'vulnerability' ? '' : `${finding.kind} `;
  return `${kind}${finding.id} (${finding.title ? `${finding.title}, ` : ''}${finding.severity}) in ${where}`;
}
