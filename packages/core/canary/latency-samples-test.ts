import { formatMs, percentiles } from '../health/percentiles.ts';
import type { Look, VersionFigures } from './canary-judge.ts';
import { CountEProcess } from './count-e-process.ts';
import { countTestResult, type Finding } from './finding.ts';
import { formatExcess, formatP } from './judge-format.ts';

const QUANTILES = [
  { name: 'p50', figure: 'p50Ms' },
  { name: 'p95', figure: 'p95Ms' },
] as const;

/**
 * Latency from per-request samples, one count test per quantile: a request is "slow" when it took
 * longer than that quantile of both versions' samples pooled in its look, and the canary's share of
 * the slow requests is tested against its share of the samples. Under H0 (both versions' latencies
 * exchangeable within a look) the pooled threshold depends only on the pooled values, so which of
 * them are the canary's is a random draw and the count test's guarantee holds exactly. A per-look
 * threshold also follows load that slows both versions alike.
 */
export class LatencySamplesTest {
  /** How many anytime tests it runs, each spending `alpha`. */
  static readonly testCount = QUANTILES.length;

  private readonly processes = QUANTILES.map(() => new CountEProcess());

  /** `alpha` is each quantile's share of the false-abort budget. */
  private readonly alpha: number;
  private readonly minEffect: number;

  constructor(alpha: number, minEffect: number) {
    this.alpha = alpha;
    this.minEffect = minEffect;
  }

  observe(look: Look): void {
    if (look.canary.latency.kind !== 'samples' || look.stable.latency.kind !== 'samples') return;
    const canary = look.canary.latency.ms;
    const stable = look.stable.latency.ms;
    const pooled = percentiles([...canary, ...stable]);
    if (pooled === null) return;
    QUANTILES.forEach(({ name }, i) => {
      const threshold = pooled[name];
      const slowCanary = canary.filter((ms) => ms > threshold).length;
      const slowStable = stable.filter((ms) => ms > threshold).length;
      this.processes[i]!.observe(slowCanary, slowStable, canary.length, stable.length);
    });
  }

  findings(canary: VersionFigures, stable: VersionFigures, against = 'stable'): Finding[] {
    return QUANTILES.map(({ name, figure }, i) => {
      const canaryMs = canary[figure];
      const stableMs = stable[figure];
      const effect = canaryMs !== undefined && stableMs !== undefined && stableMs > 0 ? canaryMs / stableMs - 1 : undefined;
      const { result, fails } = countTestResult(this.processes[i]!, {
        metric: `latency ${name}`,
        method: `mixture SPRT on counts of requests slower than the pooled ${name} of their look (one-sided, anytime-valid)`,
        alpha: this.alpha,
        minEffect: this.minEffect,
        effect,
      });
      if (!fails) return { result };
      const counts = result.counts!;
      return {
        result,
        failure:
          `canary latency ${name} ${formatMs(canaryMs!)} vs ${against} ${formatMs(stableMs!)} (${formatExcess(effect!)}): ` +
          `the canary is slower (${counts.canary} of the ${counts.total} requests slower than their look's pooled ` +
          `${name} were the canary's, ${+counts.expectedCanary.toFixed(1)} expected from its share of the traffic; ` +
          `anytime p = ${formatP(result.pValue)} < ${formatP(this.alpha)}, ratio ${formatExcess(effect!)} ≥ ` +
          `min-effect ${formatExcess(this.minEffect)})`,
      };
    });
  }
}
