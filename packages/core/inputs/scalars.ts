import { invalidValue } from '../errors.ts';

const TRUE = ['true', 'yes', 'on', '1'];
const FALSE = ['false', 'no', 'off', '0'];

export function parseBoolean(what: string, raw: string): boolean {
  const text = raw.trim().toLowerCase();
  if (TRUE.includes(text)) return true;
  if (FALSE.includes(text)) return false;
  throw invalidValue(what, raw, 'use true or false');
}

export function parseInteger(what: string, raw: string, range: { min?: number; max?: number } = {}): number {
  const text = raw.trim();
  const value = /^-?\d+$/.test(text) ? Number(text) : NaN;
  const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = range;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    const bounds = max === Number.MAX_SAFE_INTEGER ? `${min} or more` : `from ${min} to ${max}`;
    throw invalidValue(what, raw, `use a whole number ${bounds}`);
  }
  return value;
}

export function parseEnum<const T extends string>(what: string, raw: string, allowed: readonly T[]): T {
  const text = raw.trim();
  if ((allowed as readonly string[]).includes(text)) return text as T;
  throw invalidValue(what, raw, `use one of: ${allowed.join(', ')}`);
}

/**
 * Splits a list input: one item a line, or comma-separated on one line. Blank lines and lines
 * starting with `#` are skipped, so a YAML block scalar can carry comments.
 */
export function parseList(raw: string, { commas = true }: { commas?: boolean } = {}): string[] {
  return raw
    .split(/\r?\n/)
    .flatMap((line) => (commas ? line.split(',') : [line]))
    .map((item) => item.trim())
    .filter((item) => item !== '' && !item.startsWith('#'));
}
