import { invalidValue } from '../errors.ts';

export interface StatusRange {
  min: number;
  max: number;
}

const ALLOWED = 'use HTTP status codes and ranges from 100 to 599, e.g. 200, 200-399 or 200,204,301-308';

/** Parses `200-399`, `200,204` or `2xx` into inclusive ranges. */
export function parseStatusRanges(what: string, raw: string): StatusRange[] {
  const parts = raw
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  if (parts.length === 0) throw invalidValue(what, raw, ALLOWED);
  return parts.map((part) => {
    const family = /^([1-5])xx$/i.exec(part);
    if (family) return { min: Number(family[1]) * 100, max: Number(family[1]) * 100 + 99 };
    const match = /^(\d{3})(?:\s*-\s*(\d{3}))?$/.exec(part);
    const min = Number(match?.[1]);
    const max = Number(match?.[2] ?? match?.[1]);
    if (!match || min < 100 || max > 599 || min > max) throw invalidValue(what, raw, ALLOWED);
    return { min, max };
  });
}

export function statusAllowed(status: number, ranges: readonly StatusRange[]): boolean {
  return ranges.some((range) => status >= range.min && status <= range.max);
}

export function formatStatusRanges(ranges: readonly StatusRange[]): string {
  return ranges.map((r) => (r.min === r.max ? `${r.min}` : `${r.min}-${r.max}`)).join(',');
}
