import { invalidValue } from '../errors.ts';

/**
 * Parses a percentage such as `99.5%` or `80` (the `%` is optional) into a number from 0 to 100.
 * `what` names the input or config key for the error message.
 */
export function parsePercentage(what: string, raw: string | number): number {
  const text = String(raw).trim();
  const match = /^(\d+(?:\.\d+)?)\s*%?$/.exec(text);
  const value = match ? Number(match[1]) : NaN;
  if (!match || value > 100) {
    throw invalidValue(what, text, 'use a percentage from 0 to 100, e.g. 99.5% or 80');
  }
  return value;
}
