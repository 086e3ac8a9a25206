import { describe, expect, it } from 'vitest';
import { simulateLook, type Traffic } from '../../../test/support/canary-traffic.ts';
import { seededRandom } from '../../../test/support/seeded-random.ts';
import type { JudgeSettings, Look, Verdict } from './canary-judge.ts';
import { createCanaryJudge } from './create-canary-judge.ts';

// A low success threshold keeps the absolute gate out of the way: these show what the comparisons catch.
const SETTINGS: JudgeSettings = {
  successThreshold: 0.9,
  confidence: 0.99,
  minEffect: { errorRate: 0.005, latencyRatio: 0.2 },
  minRequests: 50,
};

const HEALTHY = { errorRate: 0.001, medianMs: 50 };
/** ~200 requests a second, 10% to the canary, one look a second. */
const TRAFFIC: Traffic = { requestsPerLook: 200, weight: 0.1, canary: HEALTHY, stable: HEALTHY, latency: 'none' };

/** Looks once a second until the judge fails the canary or `maxLooks` pass; how many looks it took. */
function judgeUntilFail(traffic: Traffic, seed: number, maxLooks = 60, settings = SETTINGS) {
  const random = seededRandom(seed);
  const judge = createCanaryJudge(settings);
  judge.beginStep(0, traffic.weight * 100);
  let verdict: Verdict | undefined;
  for (let second = 1; second <= maxLooks; second += 1) {
    verdict = judge.look(simulateLook(random, traffic, second * 1000));
    if (verdict.decision === 'fail') return { seconds: second, verdict };
  }
  return { seconds: undefined, verdict: verdict! };
}

function secondsOver(seeds: number, traffic: Traffic): number[] {
  return Array.from({ length: seeds }, (_, seed) => judgeUntilFail(traffic, seed + 1).seconds ?? Infinity);
}

function window(requests: number, errors: number, ms?: number[]) {
  return { requests, errors, latency: ms === undefined ? { kind: 'none' as const } : { kind: 'samples' as const, ms } };
}

function look(canary: Look['canary'], stable: Look['stable'], atMs = 1000): Look {
  return { atMs, canary, stable };
}

describe('the canary judge against a baseline', () => {
  it('names the baseline in its reasons when the step compares with it', () => {
    const judge = createCanaryJudge(SETTINGS);
    judge.beginStep(0, 10, 'baseline');
    expect(judge.look(look(window(100, 0), window(3, 0))).reasons).toEqual(['baseline answered 3 of the 50 requests the judge needs in this step']);
    let verdict: Verdict | undefined;
    for (let i = 1; i <= 20 && verdict?.decision !== 'fail'; i++) verdict = judge.look(look(window(400, 40), window(400, 0), 1000 * i));
    expect(verdict!.decision).toBe('fail');
    expect(verdict!.reasons.join('\n')).toMatch(/vs baseline 0% \(0\/\d+\)/);
  });
});

describe('the canary judge on a bad canary', () => {
  it('fails 5% errors against 0.1% within seconds at 10% weight', () => {
    const seconds = secondsOver(20, { ...TRAFFIC, canary: { ...HEALTHY, errorRate: 0.05 } });
    console.info(`5% vs 0.1% errors, 10% of 200 req/s: failed after ${seconds.join(', ')} s`);
    expect(Math.max(...seconds)).toBeLessThan(15);
    expect(seconds.toSorted((a, b) => a - b)[10]).toBeLessThanOrEqual(5);
    const { verdict } = judgeUntilFail({ ...TRAFFIC, canary: { ...HEALTHY, errorRate: 0.05 } }, 1);
    expect(verdict.reasons[0]).toMatch(
      /^canary error rate [\d.]+% \(\d+\/\d+\) vs stable [\d.]+% \(\d+\/\d+\): the canary fails more often \(anytime p = [\d.e-]+ < 0\.01, difference \+[\d.]+ points ≥ min-effect \+0\.5 points\)$/,
    );
  });

  it('fails a canary 100 ms slower from per-request samples', () => {
    const traffic: Traffic = { ...TRAFFIC, latency: 'samples', canary: { ...HEALTHY, extraMs: 100 } };
    const seconds = secondsOver(20, traffic);
    console.info(`+100 ms on a 50 ms median, samples: failed after ${seconds.join(', ')} s`);
    expect(Math.max(...seconds)).toBeLessThan(15);
    const { verdict } = judgeUntilFail(traffic, 1);
    expect(verdict.reasons.join('\n')).toMatch(/^canary latency p(50|95) [\d.]+ms vs stable [\d.]+ms \(\+[\d.]+%\): the canary is slower/m);
    expect(verdict.analysis.tests.map(({ metric }) => metric)).toEqual(['error rate', 'latency p50', 'latency p95']);
    for (const { alpha } of verdict.analysis.tests) expect(alpha).toBe(0.00333333333333);
  });

  it('fails a canary 100 ms slower from averages alone, after the difference lasts', () => {
    const traffic: Traffic = { ...TRAFFIC, latency: 'summary', canary: { ...HEALTHY, extraMs: 100 } };
    const seconds = secondsOver(20, traffic);
    console.info(`+100 ms on a 50 ms median, means only: failed after ${seconds.join(', ')} s`);
    expect(Math.max(...seconds)).toBeLessThan(15);
    const { verdict } = judgeUntilFail(traffic, 1);
    expect(verdict.reasons).toEqual([expect.stringMatching(/^canary mean latency .* for 3 looks in a row.*not a statistical test/)]);
    expect(verdict.analysis.tests.find(({ metric }) => metric === 'latency mean')).toMatchObject({
      kind: 'threshold',
      consecutiveLooks: 3,
    });
    // No latency test spends the budget: the error test has all of it.
    expect(verdict.analysis.tests[0]).toMatchObject({ metric: 'error rate', alpha: 0.01 });
  });

  it('fails on the absolute gates even when stable is as bad', () => {
    const judge = createCanaryJudge({ ...SETTINGS, successThreshold: 0.995, maxLatencyP95Ms: 400 });
    judge.beginStep(1, 25);
    const slow = Array.from({ length: 100 }, (_, i) => (i < 90 ? 100 : 900));
    const verdict = judge.look(look(window(100, 2, slow), window(300, 6, [...slow, ...slow, ...slow])));
    expect(verdict.decision).toBe('fail');
    expect(verdict.reasons).toEqual([
      'canary success rate 98% (98/100 in this step) is below the success threshold 99.5%',
      expect.stringMatching(/^canary p95 latency 90\dms in this step is above max-latency-p95 400ms$/),
    ]);
  });

  it('reads the p95 gate from a summary that has one, and lists it unmeasured from one that only averages', () => {
    const judge = createCanaryJudge({ ...SETTINGS, maxLatencyP95Ms: 400 });
    judge.beginStep(0, 10);
    const summary = (p95Ms: number) => ({ requests: 100, errors: 0, latency: { kind: 'summary' as const, meanMs: 90, p95Ms } });
    const verdict = judge.look(look(summary(450), summary(200)));
    expect(verdict.reasons).toEqual(['canary p95 latency 450ms in this step is above max-latency-p95 400ms']);
    const averaging = createCanaryJudge({ ...SETTINGS, maxLatencyP95Ms: 400 });
    averaging.beginStep(0, 10);
    const mean = { requests: 100, errors: 0, latency: { kind: 'summary' as const, meanMs: 900 } };
    const unmeasured = averaging.look(look(mean, mean));
    expect(unmeasured.decision).toBe('pass');
    expect(unmeasured.analysis.gates[1]).toEqual({ gate: 'latency p95', limit: 400, passed: true });
  });

  it('applies the gates before stable has min-requests: they judge the canary alone', () => {
    const judge = createCanaryJudge({ ...SETTINGS, successThreshold: 0.99 });
    judge.beginStep(0, 90);
    const verdict = judge.look(look(window(90, 9), window(10, 0)));
    expect(verdict.reasons).toEqual(['canary success rate 90% (81/90 in this step) is below the success threshold 99%']);
    expect(verdict.analysis.gates).toEqual([{ gate: 'success rate', observed: 0.9, limit: 0.99, passed: false }]);
  });

  it('does not apply the gates before the canary has min-requests', () => {
    const judge = createCanaryJudge({ ...SETTINGS, successThreshold: 0.995 });
    judge.beginStep(0, 10);
    const verdict = judge.look(look(window(20, 10), window(180, 0)));
    expect(verdict).toMatchObject({
      decision: 'inconclusive',
      reasons: ['canary answered 20 of the 50 requests the judge needs in this step'],
    });
  });
});

describe('the canary judge on a good canary', () => {
  it('passes when neither version fails: zero errors is data', () => {
    const judge = createCanaryJudge(SETTINGS);
    judge.beginStep(0, 10);
    const verdict = judge.look(look(window(60, 0), window(540, 0)));
    expect(verdict).toMatchObject({ decision: 'pass', reasons: [] });
    expect(verdict.analysis.tests[0]).toMatchObject({ metric: 'error rate', pValue: 1, effect: 0, significant: false });
  });

  it('is inconclusive without data, even with no minimum', () => {
    const judge = createCanaryJudge({ ...SETTINGS, minRequests: 0 });
    judge.beginStep(0, 10);
    expect(judge.look(look(window(0, 0), window(200, 0)))).toMatchObject({
      decision: 'inconclusive',
      reasons: ['canary answered no requests in this step yet; the judge needs 1 from each version'],
    });
    judge.beginStep(1, 25);
    expect(judge.look(look(window(0, 0), window(0, 0))).reasons).toEqual([
      'canary answered no requests in this step yet; the judge needs 1 from each version',
      'stable answered no requests in this step yet; the judge needs 1 from each version',
    ]);
  });

  it('is inconclusive until both versions have min-requests in the step, and counts again in a new step', () => {
    const judge = createCanaryJudge(SETTINGS);
    judge.beginStep(0, 10);
    expect(judge.look(look(window(30, 0), window(20, 0))).reasons).toEqual([
      'canary answered 30 of the 50 requests the judge needs in this step',
      'stable answered 20 of the 50 requests the judge needs in this step',
    ]);
    expect(judge.look(look(window(30, 0), window(20, 0))).reasons).toEqual(['stable answered 40 of the 50 requests the judge needs in this step']);
    expect(judge.look(look(window(30, 0), window(20, 0))).decision).toBe('pass');
    judge.beginStep(1, 50);
    expect(judge.look(look(window(30, 0), window(30, 0))).decision).toBe('inconclusive');
  });

  it('restarts the step figures at a new step but keeps the evidence', () => {
    const judge = createCanaryJudge(SETTINGS);
    judge.beginStep(0, 5);
    judge.look(look(window(100, 3), window(1900, 2)));
    judge.beginStep(1, 25);
    const verdict = judge.look(look(window(10, 0), window(30, 0)));
    expect(verdict.analysis).toMatchObject({ step: 1, canaryWeight: 25, canary: { requests: 10 }, stable: { requests: 30 } });
    expect(verdict.analysis.tests[0]!.counts).toEqual({ canary: 3, total: 5, expectedCanary: 0.25 });
  });

  it('passes a difference below min-effect even when it is significant', () => {
    const traffic: Traffic = {
      ...TRAFFIC,
      requestsPerLook: 20_000,
      weight: 0.5,
      canary: { ...HEALTHY, errorRate: 0.003 },
    };
    const { seconds, verdict } = judgeUntilFail(traffic, 7, 30);
    expect(seconds).toBeUndefined();
    expect(verdict.decision).toBe('pass');
    expect(verdict.analysis.tests[0]).toMatchObject({ metric: 'error rate', significant: true });
    expect(verdict.analysis.tests[0]!.effect).toBeLessThan(0.005);
  });

  it('writes an analysis that survives JSON', () => {
    const { verdict } = judgeUntilFail({ ...TRAFFIC, latency: 'samples' }, 3, 5);
    expect(JSON.parse(JSON.stringify(verdict.analysis))).toEqual(verdict.analysis);
    expect(verdict.analysis).toMatchObject({ step: 0, canaryWeight: 10, latencySource: 'samples', decision: 'pass' });
    expect(Object.keys(verdict.analysis.canary)).toEqual(expect.arrayContaining(['requests', 'errors', 'errorRate', 'p50Ms', 'p95Ms', 'p99Ms', 'meanMs']));
  });
});

describe('the canary judge on identical versions', () => {
  it('aborts no more often than the false-abort budget, across weight changes', () => {
    // min-effect 0 and no success gate: only the sequential test stands between noise and an abort.
    const settings: JudgeSettings = { ...SETTINGS, successThreshold: 0, minEffect: { errorRate: 0, latencyRatio: 0 } };
    const weights = [0.05, 0.1, 0.25, 0.5, 0.75];
    const canaries = 500;
    let aborted = 0;
    for (let seed = 1; seed <= canaries; seed += 1) {
      const random = seededRandom(seed);
      const judge = createCanaryJudge(settings);
      let failed = false;
      for (let second = 0; second < 300 && !failed; second += 1) {
        const weight = weights[Math.floor(second / 60)]!;
        if (second % 60 === 0) judge.beginStep(second / 60, weight * 100);
        const behaviour = { errorRate: 0.005, medianMs: 50 };
        const traffic: Traffic = { ...TRAFFIC, weight, canary: behaviour, stable: behaviour };
        failed = judge.look(simulateLook(random, traffic, second * 1000)).decision === 'fail';
      }
      if (failed) aborted += 1;
    }
    console.info(`identical versions, ${canaries} canaries × 300 looks: ${aborted} aborted (${(aborted / canaries) * 100}%, budget 1%)`);
    expect(aborted / canaries).toBeLessThanOrEqual(0.01 + 0.01);
  });

  it('aborts no more often than the budget on latency samples either', () => {
    // A 10% budget, so the simulation sees aborts at all and the bound is tested, not just met.
    const settings: JudgeSettings = { ...SETTINGS, confidence: 0.9, successThreshold: 0, minEffect: { errorRate: 0, latencyRatio: 0 } };
    const canaries = 200;
    let aborted = 0;
    for (let seed = 1; seed <= canaries; seed += 1) {
      const random = seededRandom(seed);
      const judge = createCanaryJudge(settings);
      judge.beginStep(0, 25);
      const traffic: Traffic = { ...TRAFFIC, requestsPerLook: 60, weight: 0.25, latency: 'samples' };
      for (let second = 0; second < 150; second += 1) {
        if (judge.look(simulateLook(random, traffic, second * 1000)).decision === 'fail') {
          aborted += 1;
          break;
        }
      }
    }
    console.info(`identical versions with latency samples, ${canaries} canaries × 150 looks: ${aborted} aborted (${(aborted / canaries) * 100}%, budget 10%)`);
    expect(aborted / canaries).toBeLessThanOrEqual(0.1 + 0.03);
  });
});

describe('the canary judge settings', () => {
  it('names the setting it cannot use', () => {
    expect(() => createCanaryJudge({ ...SETTINGS, confidence: 1 })).toThrow(/^confidence: "1" is not valid; a fraction strictly between 0 and 1/);
    expect(() => createCanaryJudge({ ...SETTINGS, minRequests: 2.5 })).toThrow(/^min-requests: "2.5" is not valid/);
  });

  it('wants a step before the first look', () => {
    expect(() => createCanaryJudge(SETTINGS).look(look(window(1, 0), window(1, 0)))).toThrow(/beginStep\(\) must come before/);
  });
});
