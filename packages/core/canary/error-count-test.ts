import type { Look, TestResult, VersionFigures } from './canary-judge.ts';
import { CountEProcess } from './count-e-process.ts';
import { formatP, formatPoints, formatRate } from './judge-format.ts';

/** What one comparison says at one look: its result, and why it fails the canary when it does. */
export interface Finding {
  result: TestResult;
  failure?: string;
}

/** Errors as counts against the traffic split: is the canary's share of the errors above its share of the requests? */
export class ErrorCountTest {
  private readonly process = new CountEProcess();

  private readonly alpha: number;
  private readonly minEffect: number;

  constructor(alpha: number, minEffect: number) {
    this.alpha = alpha;
    this.minEffect = minEffect;
  }

  observe(look: Look): void {
    this.process.observe(look.canary.errors, look.stable.errors, look.canary.requests, look.stable.requests);
  }

  finding(canary: VersionFigures, stable: VersionFigures): Finding {
    const pValue = this.process.pValue();
    const effect =
      canary.errorRate !== undefined && stable.errorRate !== undefined ? canary.errorRate - stable.errorRate : undefined;
    const result: TestResult = {
      metric: 'error rate',
      method: 'mixture SPRT on error counts against the traffic split (one-sided, anytime-valid)',
      kind: 'anytime test',
      pValue,
      alpha: this.alpha,
      eValue: this.process.eValue(),
      counts: this.process.counts(),
      minEffect: this.minEffect,
      significant: pValue < this.alpha,
    };
    if (effect !== undefined) result.effect = effect;
    if (!result.significant || effect === undefined || effect < this.minEffect) return { result };
    return {
      result,
      failure:
        `canary error rate ${formatRate(canary.errorRate!)} (${canary.errors}/${canary.requests}) vs stable ` +
        `${formatRate(stable.errorRate!)} (${stable.errors}/${stable.requests}): the canary fails more often ` +
        `(anytime p = ${formatP(pValue)} < ${formatP(this.alpha)}, difference ${formatPoints(effect)} ≥ ` +
        `min-effect ${formatPoints(this.minEffect)})`,
    };
  }
}
