import { invalidValue } from '../errors.ts';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const ALLOWED = 'use a number with a unit: ms, s, m, h or d (e.g. 500ms, 30s, 5m, 1h, 7d)';
/** A century: any longer is no one's intent, and `now - duration` must stay a valid Date. */
export const MAX_DURATION_MS = 36_500 * UNIT_MS.d!;
/** The longest a timer can wait (2^31 - 1 ms, about 24.8 days): a longer setTimeout fires at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export interface DurationBounds {
  /** Smallest value allowed, in ms (default 0); 1 refuses `0s` where nothing could happen in no time. */
  minMs?: number;
  /** Largest value allowed, in ms (default MAX_DURATION_MS); MAX_TIMER_MS for anything the suite waits for. */
  maxMs?: number;
}

/**
 * Parses a duration such as `30s`, `5m`, `1.5h` or `250ms` (several parts may be joined: `1m30s`)
 * into milliseconds. `what` names the input or config key for the error message.
 */
export function parseDuration(what: string, raw: string, { minMs = 0, maxMs = MAX_DURATION_MS }: DurationBounds = {}): number {
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
  const ms = Math.round(total);
  if (ms < minMs) throw invalidValue(what, raw, minMs <= 1 ? 'use a duration above zero, e.g. 30s or 5m' : `use at least ${formatDuration(minMs)}`);
  if (!(ms <= maxMs)) throw invalidValue(what, raw, `use at most ${formatDuration(maxMs)}`);
  return ms;
}

/** Like parseDuration, but a bare number means seconds (the config file's `health_check_interval: 60`). */
export function parseSeconds(what: string, raw: string | number): number {
  if (typeof raw === 'number' || /^\d+(\.\d+)?$/.test(raw.trim())) {
    const seconds = Number(raw);
    if (!Number.isFinite(seconds) || seconds < 0) throw invalidValue(what, String(raw), ALLOWED);
    if (seconds * 1000 > MAX_DURATION_MS) throw invalidValue(what, String(raw), `use at most ${formatDuration(MAX_DURATION_MS)}`);
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
