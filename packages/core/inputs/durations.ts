import { invalidValue } from '../errors.ts';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const ALLOWED = 'use a number with a unit: ms, s, m, h or d (e.g. 500ms, 30s, 5m, 1h, 7d)';
/** A century: any longer is no one's intent, and `now - duration` must stay a valid Date. */
export const MAX_DURATION_MS = 36_500 * UNIT_MS.d!;
const TOO_LONG = 'use at most 36500d (100 years)';

/**
 * Parses a duration such as `30s`, `5m`, `1.5h` or `250ms` (several parts may be joined: `1m30s`)
 * into milliseconds. `what` names the input or config key for the error message.
 */
export function parseDuration(what: string, raw: string): number {
  const text = raw.trim();
  if (text === '') throw invalidValue(what, raw, ALLOWED);
  let total = 0;
  let rest = text;
  while (rest !== '') {
    const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)/.exec(rest);
    if (!match) throw invalidValue(what, raw, ALLOWED);
    total += Number(match[1]) * UNIT_MS[match[2]!]!;
    rest = rest.slice(match[0].length);
  }
  if (!(total <= MAX_DURATION_MS)) throw invalidValue(what, raw, TOO_LONG);
  return Math.round(total);
}

/** Like parseDuration, but a bare number means seconds (the config file's `health_check_interval: 60`). */
export function parseSeconds(what: string, raw: string | number): number {
  if (typeof raw === 'number' || /^\d+(\.\d+)?$/.test(raw.trim())) {
    const seconds = Number(raw);
    if (!Number.isFinite(seconds) || seconds < 0) throw invalidValue(what, String(raw), ALLOWED);
    if (seconds * 1000 > MAX_DURATION_MS) throw invalidValue(what, String(raw), TOO_LONG);
    return Math.round(seconds * 1000);
  }
  return parseDuration(what, raw);
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${+(ms / 1000).toFixed(1)}s`;
  // Rounded before it is split, so 59m59.7s reads 1h, never 59m60s; two units at most above a minute.
  const seconds = Math.round(ms / 1000);
  if (seconds < 3600) return twoUnits(Math.floor(seconds / 60), 'm', seconds % 60, 's');
  const minutes = Math.round(ms / 60_000);
  if (minutes < 24 * 60) return twoUnits(Math.floor(minutes / 60), 'h', minutes % 60, 'm');
  const hours = Math.round(ms / 3_600_000);
  return twoUnits(Math.floor(hours / 24), 'd', hours % 24, 'h');
}

function twoUnits(big: number, bigUnit: string, small: number, smallUnit: string): string {
  return `${big}${bigUnit}${small ? `${small}${smallUnit}` : ''}`;
}

