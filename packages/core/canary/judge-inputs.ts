import { invalidValue } from '../errors.ts';
import { parseList } from '../inputs/scalars.ts';
import type { JudgeSettings } from './canary-judge.ts';

const CONFIDENCE_RULE = 'use a percentage above 50% and up to 99.99%, e.g. 99%';

/** `99%` → 0.99. Above 50%: at or below it an abort would be a coin toss; 99.99% at most, or nothing could abort. */
export function parseConfidence(what: string, raw: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*%?$/.exec(raw.trim());
  const percent = match ? Number(match[1]) : NaN;
  if (!match || percent <= 50 || percent > 99.99) throw invalidValue(what, raw, CONFIDENCE_RULE);
  return +(percent / 100).toFixed(6);
}

export const DEFAULT_MIN_EFFECT: JudgeSettings['minEffect'] = { errorRate: 0.005, latencyRatio: 0.2 };

const MIN_EFFECT_RULE = 'use `error-rate=<points>%` and/or `latency=<percent>%`, e.g. error-rate=0.5%, latency=20%';

/**
 * `error-rate=0.5%, latency=20%`: the smallest canary − stable differences that may abort, as error
 * rate points and a latency increase. A key left out keeps its default (0.5 points, 20%).
 */
export function parseMinEffect(what: string, raw: string): JudgeSettings['minEffect'] {
  const effect = { ...DEFAULT_MIN_EFFECT };
  for (const part of parseList(raw)) {
    const match = /^(error-rate|latency)\s*[=:]\s*(\d+(?:\.\d+)?)\s*%$/.exec(part);
    if (!match) throw invalidValue(what, raw, MIN_EFFECT_RULE);
    const fraction = Number(match[2]) / 100;
    if (match[1] === 'error-rate') {
      if (fraction > 1) throw invalidValue(what, raw, `an error rate difference is at most 100 points; ${MIN_EFFECT_RULE}`);
      effect.errorRate = fraction;
    } else {
      effect.latencyRatio = fraction;
    }
  }
  return effect;
}
