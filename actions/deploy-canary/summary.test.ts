import { describe, expect, it } from 'vitest';
import { createCanaryJudge } from '../../packages/core/canary/create-canary-judge.ts';
import type { MetricsReading, MetricsSource } from '../../packages/core/canary/metrics-source.ts';
import { deployCanary } from '../../packages/core/strategies/canary-deploy.ts';
import { canarySettings } from '../../packages/core/strategies/testing/canary-fixture.ts';
import { deployed, IMAGE, shopWorld } from '../../packages/core/strategies/testing/shop-fixture.ts';
import { renderMarkdown } from '../../packages/runtime/summary/markdown.ts';
import { canarySummary } from './summary.ts';

/** A FAKE source: stable answers 200 requests a look without errors, the canary 200 with `canaryErrors`. */
function source(now: () => number, canaryErrors: number): MetricsSource {
  const window = (errors: number) => ({
    requests: 200,
    errors,
    latency: { kind: 'samples' as const, ms: Array.from({ length: 200 }, (_, i) => 10 + (i % 20)) },
  });
  return {
    describe: () => 'fake access log',
    read: async (): Promise<MetricsReading> => ({ atMs: now(), slots: { blue: window(0), green: window(canaryErrors) } }),
  };
}

/** The shop's canary judged by the real judge on fake metrics. */
async function canaryRun(canaryErrors: number) {
  const w = shopWorld();
  await deployed(w, 'v1');
  const judge = { successThreshold: 0.995, confidence: 0.99, minEffect: { errorRate: 0.005, latencyRatio: 0.2 }, minRequests: 50 };
  const measuring = { openMetrics: async () => source(() => w.clock.now(), canaryErrors), createJudge: () => createCanaryJudge(judge) };
  return deployCanary(canarySettings(IMAGE.v2), { ...w.ports, measuring });
}

describe('the canary summary', () => {
  it('shows a promotion: weight over time, and per step canary vs stable with the verdict', async () => {
    const markdown = renderMarkdown(canarySummary(await canaryRun(0)));
    expect(markdown).toContain('## Canary deploy');
    expect(markdown).toMatch(/✅ promoted in \S+: the canary takes all traffic/);
    expect(markdown).toContain('xychart-beta');
    expect(markdown).toContain('### Step 1: 10% to the canary — ✅ passed');
    expect(markdown).toMatch(/\| canary \| \d+ \| 0 \| 0% \|/);
    expect(markdown).toContain('canary success rate 100%, at least 99.5% allowed — passes');
  });

  it('shows an abort with the numbers that failed', async () => {
    const result = await canaryRun(20);
    expect(result.outcome).toBe('aborted');
    const markdown = renderMarkdown(canarySummary(result));
    expect(markdown).toMatch(/❌ aborted after \S+, all traffic back on stable: /);
    expect(markdown).toContain('### Step 1: 10% to the canary — ❌ failed');
    expect(markdown).toMatch(/canary success rate 90%, at least 99.5% allowed — fails: aborts/);
  });
});
