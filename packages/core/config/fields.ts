/**
 * Field types the configuration schema is built from. Each one is validated by zod (so the JSON Schema
 * can show editors what is allowed) and converted by the same parsers the action inputs use.
 * Every `error` text finishes the sentence `<key>: <value> is not valid; …`.
 */
import { z } from 'zod';
import { ConfigurationError } from '../errors.ts';
import { parsePercentage, parseSeconds } from '../inputs/index.ts';

const DURATION = /^(\d+(\.\d+)?(ms|s|m|h|d))+$|^\d+(\.\d+)?$/;
const PERCENTAGE = /^\d+(\.\d+)?%?$/;

interface Limits {
  /** Whether 0 is meaningful (a delay may be zero; an interval or a traffic step may not). */
  zero?: boolean;
}

/** A duration: `300s`, `5m`, `1m30s`, or a bare number of seconds. Parsed to milliseconds. */
export function duration(fallback: string | number, description: string, { zero = false }: Limits = {}) {
  const allowed = `use seconds (e.g. 60) or a duration with a unit: ms, s, m, h or d (e.g. 30s, 5m)${zero ? '' : ' above zero'}`;
  return z
    .union(numberOrText(DURATION, allowed), { error: allowed })
    .transform(convert((raw) => parseSeconds('duration', raw), allowed, zero))
    .prefault(fallback)
    .meta({ description: `${description} Seconds, or a duration such as 30s or 5m.` });
}

/** A percentage, `99.5%` or a number from 0 to 100, without a default (see `percentage`). */
export function percentageValue({ zero = true }: Limits = {}) {
  const allowed = `use a percentage ${zero ? 'from 0' : 'above 0 and up'} to 100, e.g. 99.5% or 80`;
  return z.union(numberOrText(PERCENTAGE, allowed, 100), { error: allowed }).transform(convert((raw) => parsePercentage('percentage', raw), allowed, zero));
}

export function percentage(fallback: string | number, description: string, limits: Limits = {}) {
  return percentageValue(limits).prefault(fallback).meta({ description });
}

/**
 * The members of a number-or-text union, each failing with `allowed`: a union reports its own error
 * only when no member has the value's type; otherwise it reports that member's.
 */
function numberOrText(text: RegExp, allowed: string, max?: number) {
  const number = z.number().min(0, { error: allowed });
  return [max === undefined ? number : number.max(max, { error: allowed }), z.string().regex(text, { error: allowed })] as const;
}

function convert(parse: (raw: string | number) => number, allowed: string, zero: boolean) {
  return (raw: string | number, ctx: z.core.$RefinementCtx<string | number>): number => {
    try {
      const value = parse(raw);
      if (value > 0 || zero) return value;
    } catch (error) {
      if (!(error instanceof ConfigurationError)) throw error;
    }
    ctx.issues.push({ code: 'custom', input: raw, message: allowed });
    return z.NEVER;
  };
}

/** An environment, pipeline template or quality gate name: a key users pick, kept simple to type. */
export const name = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, { error: 'use letters, digits, ".", "_" and "-", starting with a letter or digit' });

/** `keep_latest_N`: keep the N newest images. Parsed to `{ keep_latest: N }`. */
export const cleanupPolicy = z
  .string()
  .regex(/^keep_latest_[1-9]\d*$/, { error: 'use keep_latest_N with N a whole number 1 or more, e.g. keep_latest_5' })
  .transform((policy) => ({ keep_latest: Number(policy.slice('keep_latest_'.length)) }))
  .meta({ description: 'Which images survive a cleanup: keep_latest_N keeps the N newest.' });

/** A registry host, with a port if it needs one: `ghcr.io`, `registry.example.com:5000`. */
export const registryHost = z.string().regex(/^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*(:\d{1,5})?$/, {
  error: 'use a registry host, with a port if needed, e.g. ghcr.io or registry.example.com:5000',
});

export const STRATEGIES = ['direct', 'blue_green', 'canary'] as const;
export const ROLLBACK_TRIGGERS = ['health_check_failure', 'error_rate_threshold', 'performance_degradation', 'manual_trigger'] as const;
export const DASHBOARD_METRICS = [
  'cpu',
  'memory',
  'disk',
  'network',
  'response_time',
  'error_rate',
  'active_deployments',
  'success_rate',
  'rollback_rate',
] as const;

/**
 * A key that no longer does anything. With `accepts`, the one value that states what the suite does
 * anyway (the brief's own files write it) is still accepted; any other value is refused with `replacement`.
 * Marked deprecated in the JSON Schema, so editors strike it through.
 */
export function removedKey(replacement: string, accepts?: string | boolean) {
  const described = accepts === undefined ? 'Removed' : `Removed; only ${JSON.stringify(accepts)} is accepted, and does nothing`;
  return z
    .unknown()
    .refine((value) => value === undefined || value === accepts, { error: `the key was removed: ${replacement}` })
    .transform((): undefined => undefined)
    .optional()
    .meta({ deprecated: true, description: `${described}: ${replacement}` });
}
