import type { Finding, ScanReport } from '../../core/images/index.ts';
import { toSeverity } from '../../core/images/index.ts';

/**
 * trivy's JSON report (`--format json`, SchemaVersion 2), as far as the gate reads it. Field names
 * are trivy's (pkg/types/report.go): Results[].Vulnerabilities / Secrets / Misconfigurations.
 */
interface TrivyReport {
  SchemaVersion?: number;
  ArtifactName?: string;
  Results?: TrivyResult[] | null;
}

interface TrivyResult {
  Target?: string;
  Class?: string;
  Type?: string;
  Vulnerabilities?: TrivyVulnerability[] | null;
  Secrets?: TrivySecret[] | null;
  Misconfigurations?: TrivyMisconfiguration[] | null;
}

interface TrivyVulnerability {
  VulnerabilityID?: string;
  PkgName?: string;
  InstalledVersion?: string;
  FixedVersion?: string;
  Status?: string;
  Title?: string;
  Severity?: string;
}

interface TrivySecret {
  RuleID?: string;
  Category?: string;
  Severity?: string;
  Title?: string;
  StartLine?: number;
}

interface TrivyMisconfiguration {
  ID?: string;
  AVDID?: string;
  Title?: string;
  Severity?: string;
  /** FAIL, PASS or EXCEPTION: only failures are findings. */
  Status?: string;
}

export class TrivyReportError extends Error {
  override name = 'TrivyReportError';
}

/** trivy's JSON report → findings. Secrets are named by rule and line; their matched text is never copied. */
export function normaliseTrivyReport(json: unknown, fallbackArtifact = 'the image'): ScanReport {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new TrivyReportError('not a trivy JSON report: expected an object with SchemaVersion and Results');
  }
  const report = json as TrivyReport;
  if (report.SchemaVersion !== 2) {
    throw new TrivyReportError(`trivy report SchemaVersion ${String(report.SchemaVersion)} is not supported; expected 2 (trivy 0.20 or later)`);
  }
  const findings: Finding[] = [];
  for (const result of report.Results ?? []) {
    const target = result.Target ?? '';
    for (const v of result.Vulnerabilities ?? []) {
      findings.push({
        kind: 'vulnerability',
        id: v.VulnerabilityID ?? 'unknown',
        severity: toSeverity(v.Severity),
        target,
        title: v.Title ?? '',
        packageName: v.PkgName ?? '',
        installedVersion: v.InstalledVersion ?? '',
        fixedVersion: v.FixedVersion ?? '',
      });
    }
    for (const s of result.Secrets ?? []) {
      findings.push({
        kind: 'secret',
        id: s.RuleID ?? 'unknown',
        severity: toSeverity(s.Severity),
        target,
        title: s.Title ?? s.Category ?? '',
        ...(s.StartLine ? { line: s.StartLine } : {}),
      });
    }
    for (const m of result.Misconfigurations ?? []) {
      if (m.Status && m.Status !== 'FAIL') continue;
      findings.push({ kind: 'misconfiguration', id: m.ID ?? m.AVDID ?? 'unknown', severity: toSeverity(m.Severity), target, title: m.Title ?? '' });
    }
  }
  return { artifact: report.ArtifactName || fallbackArtifact, findings };
}
