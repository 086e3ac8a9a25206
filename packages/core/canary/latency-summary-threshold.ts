import { formatMs } from '../health/percentiles.ts';
import type { Look, TestResult } from './canary-judge.ts';
import type { Finding } from './finding.ts';
import { formatExcess } from './judge-format.ts';

const FIGURES = [
  { name: 'p95', key: 'p95Ms' },
  { name: 'p50', key: 'p50Ms' },
  { name: 'mean', key: 'meanMs' },
] as const;

interface Streak {
  canaryMs: number;
  stableMs: number;
  excess: number;
  looks: number;
}

/**
 * Latency when the source only summarises it (HAProxy's average response time, Prometheus
 * quantiles): with no distribution there is nothing to test, so a difference of at least min-effect
 * must last `persistLooks` looks in a row. A rule, not a test: it spends none of the false-abort budget
 * and promises no error rate.
 */
export class LatencySummaryThreshold {
  private readonly streaks = new Map<string, Streak>();

  private readonly minEffect: number;
  private readonly persistLooks: number;

  constructor(minEffect: number, persistLooks: number) {
    this.minEffect = minEffect;
    this.persistLooks = persistLooks;
  }

  observe(look: Look): void {
    const { canary, stable } = look;
    if (canary.latency.kind !== 'summary' || stable.latency.kind !== 'summary') return;
    // A version that answered nothing in this look has an old summary: the look neither adds nor resets.
    if (canary.requests === 0 || stable.requests === 0) return;
    for (const { name, key } of FIGURES) {
      const canaryMs = canary.latency[key];
      const stableMs = stable.latency[key];
      if (canaryMs === undefined || stableMs === undefined || stableMs <= 0) continue;
      const excess = canaryMs / stableMs - 1;
      const looks = excess >= this.minEffect ? (this.streaks.get(name)?.looks ?? 0) + 1 : 0;
      this.streaks.set(name, { canaryMs, stableMs, excess, looks });
    }
  }

  findings(against = 'stable'): Finding[] {
    return FIGURES.flatMap(({ name }) => {
      const streak = this.streaks.get(name);
      if (streak === undefined) return [];
      const result: TestResult = {
        metric: `latency ${name}`,
        method: `threshold on the source's ${name} summaries: min-effect for ${this.persistLooks} looks in a row (not a statistical test)`,
        kind: 'threshold',
        pValue: 1,
        alpha: 0,
        effect: streak.excess,
        minEffect: this.minEffect,
        consecutiveLooks: streak.looks,
        significant: streak.looks >= this.persistLooks,
      };
      if (!result.significant) return [{ result }];
      return [
        {
          result,
          failure:
            `canary ${name} latency ${formatMs(streak.canaryMs)} vs ${against} ${formatMs(streak.stableMs)} ` +
            `(${formatExcess(streak.excess)}) for ${streak.looks} looks in a row, ≥ min-effect ${formatExcess(this.minEffect)}: ` +
            `the canary is slower (a threshold on the source's summaries, not a statistical test: the source gives no per-request latencies)`,
        },
      ];
    });
  }
}
