import { ignoreHolds, type IgnoreRule } from './ignore-rule.ts';
import { bySeverity, countBySeverity, describeFinding, type Finding, type ScanReport } from './scan-findings.ts';
import { atOrAbove, type Severity, type SeverityCounts } from './severity.ts';

export interface GatePolicy {
  /** Fail on any counted finding at or above this. */
  threshold: Severity;
  /** Leave out vulnerabilities no release fixes yet. */
  ignoreUnfixed: boolean;
  ignores: readonly IgnoreRule[];
  /** The day ignores are judged on (handed in: the core reads no clock). */
  today: Date;
}

export interface GateResult {
  passed: boolean;
  /** Counted findings (not ignored, not skipped as unfixed) by severity. */
  counts: SeverityCounts;
  /** Counted findings at or above the threshold, most severe first. */
  blocking: Finding[];
  /** Every counted finding, most severe first. */
  counted: Finding[];
  ignored: { finding: Finding; rule: IgnoreRule }[];
  /** Findings an expired ignore named: they count again. */
  expired: { finding: Finding; rule: IgnoreRule }[];
  unfixedSkipped: number;
  message: string;
}

const MESSAGE_FINDINGS = 5;

/** Applies ignores, ignore-unfixed and the threshold to a scan. */
export function evaluateScan(report: ScanReport, policy: GatePolicy): GateResult {
  const counted: Finding[] = [];
  const ignored: GateResult['ignored'] = [];
  const expired: GateResult['expired'] = [];
  let unfixedSkipped = 0;
  for (const finding of report.findings) {
    const rule = policy.ignores.find((r) => r.kind === finding.kind && r.id === finding.id);
    if (rule && ignoreHolds(rule, policy.today)) {
      ignored.push({ finding, rule });
      continue;
    }
    if (rule) expired.push({ finding, rule });
    if (policy.ignoreUnfixed && finding.kind === 'vulnerability' && !finding.fixedVersion) {
      unfixedSkipped += 1;
      continue;
    }
    counted.push(finding);
  }
  counted.sort(bySeverity);
  const blocking = counted.filter((f) => atOrAbove(f.severity, policy.threshold));
  const passed = blocking.length === 0;
  return {
    passed,
    counts: countBySeverity(counted),
    blocking,
    counted,
    ignored,
    expired,
    unfixedSkipped,
    message: gateMessage(report, policy, blocking, expired),
  };
}

function gateMessage(report: ScanReport, policy: GatePolicy, blocking: Finding[], expired: GateResult['expired']): string {
  if (blocking.length === 0) return `${report.artifact}: no finding at or above ${policy.threshold}`;
  const shown = blocking.slice(0, MESSAGE_FINDINGS).map(describeFinding);
  const more = blocking.length > MESSAGE_FINDINGS ? `; and ${blocking.length - MESSAGE_FINDINGS} more` : '';
  const again = expired
    .filter(({ finding }) => blocking.includes(finding))
    .map(({ rule }) => `the ignore of ${rule.id} expired on ${rule.expiresOn}, so it counts again`);
  const expiredNote = again.length > 0 ? ` (${[...new Set(again)].join('; ')})` : '';
  return `${report.artifact} has ${blocking.length} finding(s) at or above ${policy.threshold}: ${shown.join('; ')}${more}${expiredNote}`;
}
