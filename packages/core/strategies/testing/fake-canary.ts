import type { CanaryJudge, Decision, Look, Verdict } from '../../canary/canary-judge.ts';
import type { MetricsReading, MetricsSource } from '../../canary/metrics-source.ts';
import type { Clock } from '../../health/clock.ts';
import type { CanaryMeasuring, CanaryPair } from '../canary-ports.ts';

/** Why the nth read (1-based) of a source rejects, or undefined when it answers. */
export type ReadScript = (read: number) => string | undefined;

/** A FAKE metrics source: every read, each colour answered 100 requests without errors (the baseline slot 77), unless the script makes it reject. */
export class FakeMetrics implements MetricsSource {
  reads = 0;
  closed = false;
  #clock: Clock;
  #failing: ReadScript;

  constructor(clock: Clock, failing: ReadScript) {
    this.#clock = clock;
    this.#failing = failing;
  }

  describe(): string {
    return 'fake HAProxy counters';
  }

  async read(): Promise<MetricsReading> {
    this.reads += 1;
    const failure = this.#failing(this.reads);
    if (failure !== undefined) throw new Error(failure);
    const window = { requests: 100, errors: 0, latency: { kind: 'summary' as const, p95Ms: 20 } };
    return { atMs: this.#clock.now(), slots: { blue: window, green: { ...window }, baseline: { ...window, requests: 77 } } };
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

/** What the fake judge decides at a look: by step (0-based), the step's weight and the look within the step (1-based). */
export type JudgeScript = (step: number, weight: number, look: number) => Decision;

export const alwaysPass: JudgeScript = () => 'pass';

/** A FAKE judge that decides from a script and keeps every look it was handed. */
export class FakeJudge implements CanaryJudge {
  readonly steps: [number, number][] = [];
  readonly looks: Look[] = [];
  #script: JudgeScript;
  #lookInStep = 0;

  constructor(script: JudgeScript) {
    this.#script = script;
  }

  beginStep(step: number, canaryWeight: number): void {
    this.steps.push([step, canaryWeight]);
    this.#lookInStep = 0;
  }

  look(look: Look): Verdict {
    this.looks.push(look);
    const [step, weight] = this.steps.at(-1)!;
    const decision = this.#script(step, weight, ++this.#lookInStep);
    const reasons = decision === 'fail' ? ['error rate 5.0% vs 0.1% (p = 0.0001)'] : decision === 'inconclusive' ? ['too few requests: 3 of 50'] : [];
    const figures = (w: typeof look.canary) => ({ requests: w.requests, errors: w.errors });
    return {
      decision,
      reasons,
      analysis: {
        atMs: look.atMs,
        step,
        canaryWeight: weight,
        canary: figures(look.canary),
        stable: figures(look.stable),
        latencySource: 'summary',
        // Like the real judge: no gate is judged before the canary has its requests.
        gates: decision === 'inconclusive' ? [] : [{ gate: 'success rate', observed: 1, limit: 0.995, passed: decision === 'pass' }],
        tests: [],
        decision,
        reasons,
      },
    };
  }
}

/** Measuring made of the fakes above: one metrics source and one judge per canary, kept for assertions. */
export function fakeMeasuring(
  clock: Clock,
  script: JudgeScript = alwaysPass,
  failing: ReadScript = () => undefined,
): CanaryMeasuring & { metrics: FakeMetrics[]; judges: FakeJudge[]; pairs: CanaryPair[] } {
  const metrics: FakeMetrics[] = [];
  const judges: FakeJudge[] = [];
  const pairs: CanaryPair[] = [];
  return {
    metrics,
    judges,
    pairs,
    async openMetrics(pair) {
      pairs.push(pair);
      metrics.push(new FakeMetrics(clock, failing));
      return metrics.at(-1)!;
    },
    createJudge() {
      judges.push(new FakeJudge(script));
      return judges.at(-1)!;
    },
  };
}
