import { invalidValue } from '../errors.ts';
import { parseList } from '../inputs/scalars.ts';

const STEPS_RULE = 'use whole percentages from 1 to 100, each above the one before, e.g. 10,30,50,100';

/**
 * A canary's traffic steps, e.g. `10,30,50,100` (a `%` after each is allowed): whole percentages, each
 * above the one before. The last must be 100 when the canary promotes itself; without auto-promote
 * the canary pauses after the last step below 100, so a list ending lower is fine.
 */
export function parseSteps(what: string, raw: string, { autoPromote }: { autoPromote: boolean }): number[] {
  const parts = parseList(raw);
  if (parts.length === 0) throw invalidValue(what, raw, STEPS_RULE);
  const steps = parts.map((part) => {
    const match = /^(\d+)\s*%?$/.exec(part);
    const value = match ? Number(match[1]) : NaN;
    if (!match || value < 1 || value > 100) throw invalidValue(what, raw, `${JSON.stringify(part)} is not a whole percentage from 1 to 100; ${STEPS_RULE}`);
    return value;
  });
  steps.forEach((step, i) => {
    const before = steps[i - 1];
    if (before !== undefined && step <= before) throw invalidValue(what, raw, `${step} does not go above ${before}; ${STEPS_RULE}`);
  });
  if (autoPromote && steps.at(-1) !== 100) {
    throw invalidValue(what, raw, `the last step must be 100 for the canary to be promoted (or set auto-promote: false to pause after it); ${STEPS_RULE}`);
  }
  return steps;
}

/** Steps from the first weight and an increment: 10 and 20 → 10,30,50,70,90,100. */
export function stepsFrom(initial: number, increment: number): number[] {
  const steps: number[] = [];
  for (let weight = initial; weight < 100; weight += increment) steps.push(Math.round(weight));
  return [...new Set([...steps, 100])];
}
