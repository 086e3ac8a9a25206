import { invalidValue } from '../errors.ts';

/** trivy's severities, least to most severe. */
export const SEVERITIES = ['UNKNOWN', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export type Severity = (typeof SEVERITIES)[number];

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

export function atOrAbove(severity: Severity, threshold: Severity): boolean {
  return severityRank(severity) >= severityRank(threshold);
}

/** A report's severity, upper-cased; anything unrecognised counts as UNKNOWN. */
export function toSeverity(raw: unknown): Severity {
  const text = (typeof raw === 'string' ? raw : '').toUpperCase();
  return (SEVERITIES as readonly string[]).includes(text) ? (text as Severity) : 'UNKNOWN';
}

export function parseSeverityThreshold(raw: string): Severity {
  const text = raw.trim().toUpperCase();
  const allowed = SEVERITIES.filter((s) => s !== 'UNKNOWN');
  if ((allowed as readonly string[]).includes(text)) return text as Severity;
  throw invalidValue('severity-threshold', raw, `use one of: ${allowed.join(', ')}`);
}

export type SeverityCounts = Record<Severity, number>;

export function emptyCounts(): SeverityCounts {
  return { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 0 };
}
