import type { FindingKind } from './scan-findings.ts';

/** A finding a team has accepted until a date, from the ignore file (ignore-file.ts reads it). */
export interface IgnoreRule {
  kind: FindingKind;
  id: string;
  statement: string;
  /** `YYYY-MM-DD`, the last day the ignore holds. */
  expiresOn: string;
}

/** Whether the ignore still holds on `today` (it holds through its expiry day, in UTC). */
export function ignoreHolds(rule: IgnoreRule, today: Date): boolean {
  return today.toISOString().slice(0, 10) <= rule.expiresOn;
}
