/**
 * An anytime-valid one-sided test on counts: is the canary's share of some events (errors, slow
 * requests) larger than its share of the traffic?
 *
 * At each look, given k events among the requests both versions answered, H0 ("canary no worse")
 * makes each event the canary's with probability p = canary requests / all requests of that look.
 * The alternative tilts the odds of "this event is the canary's" by a factor r; the look's
 * likelihood ratio is r^x / (1 − p + p·r)^k for x canary events. Its mean under the binomial is 1,
 * and under the exact null (labels drawn without replacement, a hypergeometric x) it is at most 1,
 * because e^(θx) is convex (Hoeffding 1963, thm 4). So the product of look increments is a test
 * supermartingale whatever p does between looks (weights change between steps), and a fixed-weight
 * mixture over a grid of r stays one. Ville's inequality: P(sup E ≥ 1/α) ≤ α under H0.
 */

/** Odds factors the mixture spreads its prior over, √2 apart: 1.41 (a 41% excess) to 64. */
const ODDS_FACTORS = Array.from({ length: 12 }, (_, i) => Math.SQRT2 ** (i + 1));
const LOG_PRIOR = -Math.log(ODDS_FACTORS.length);

export class CountEProcess {
  /** Per odds factor: log of the product of look likelihood ratios; bounded memory. */
  private readonly logProducts = ODDS_FACTORS.map(() => 0);
  private maxLogE = 0;
  private canaryEvents = 0;
  private totalEvents = 0;
  /** Σ p·k: the canary events its traffic share explains. */
  private expectedCanary = 0;

  /** One look: events of each version, and each version's requests (the traffic split). */
  observe(canaryEvents: number, stableEvents: number, canaryRequests: number, stableRequests: number): void {
    const events = canaryEvents + stableEvents;
    const requests = canaryRequests + stableRequests;
    // A look without events, or where one version answered nothing, carries no evidence (ratio 1).
    if (events === 0 || canaryRequests === 0 || stableRequests === 0) return;
    const p = canaryRequests / requests;
    ODDS_FACTORS.forEach((r, i) => {
      this.logProducts[i]! += canaryEvents * Math.log(r) - events * Math.log1p(p * (r - 1));
    });
    this.canaryEvents += canaryEvents;
    this.totalEvents += events;
    this.expectedCanary += p * events;
    this.maxLogE = Math.max(this.maxLogE, this.logE());
  }

  /** Events counted since the first look: the canary's, everyone's, and the canary's share by traffic. */
  counts(): { canary: number; total: number; expectedCanary: number } {
    return { canary: this.canaryEvents, total: this.totalEvents, expectedCanary: this.expectedCanary };
  }

  /** The mixture e-value now; held below Infinity, which JSON cannot write. */
  eValue(): number {
    return Math.min(Math.exp(this.logE()), Number.MAX_VALUE);
  }

  /** min(1, 1 / the largest e-value seen): stays valid whenever it is read. Held at 1e-300 or above, like the e-value. */
  pValue(): number {
    return Math.min(1, Math.max(Math.exp(-this.maxLogE), 1e-300));
  }

  private logE(): number {
    const top = Math.max(...this.logProducts);
    const sum = this.logProducts.reduce((acc, logProduct) => acc + Math.exp(logProduct - top), 0);
    return top + Math.log(sum) + LOG_PRIOR;
  }
}
