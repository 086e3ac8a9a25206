import type { Look, VersionFigures } from './canary-judge.ts';
import { CountEProcess } from './count-e-process.ts';
import { countTestResult, type Finding } from './finding.ts';
import { formatP, formatPoints, formatRate } from './judge-format.ts';

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

  finding(canary: VersionFigures, stable: VersionFigures, against = 'stable'): Finding {
    const effect = canary.errorRate !== undefined && stable.errorRate !== undefined ? canary.errorRate - stable.errorRate : undefined;
    const { result, fails } = countTestResult(this.process, {
      metric: 'error rate',
      method: 'mixture SPRT on error counts against the traffic split (one-sided, anytime-valid)',
      alpha: this.alpha,
      minEffect: this.minEffect,
      effect,
    });
    if (!fails) return { result };
    return {
      result,
      failure:
        `canary error rate ${formatRate(canary.errorRate!)} (${canary.errors}/${canary.requests}) vs ${against} ` +
        `${formatRate(stable.errorRate!)} (${stable.errors}/${stable.requests}): the canary fails more often ` +
        `(anytime p = ${formatP(result.pValue)} < ${formatP(this.alpha)}, difference ${formatPoints(effect!)} ≥ ` +
        `min-effect ${formatPoints(this.minEffect)})`,
    };
  }
}
