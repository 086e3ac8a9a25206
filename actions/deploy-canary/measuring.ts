import { checkMetricsSetup, createMetricsSource, type MetricsSetup, type MetricsSlot } from '../../packages/adapters/metrics/create-metrics-source.ts';
import type { JudgeSettings } from '../../packages/core/canary/canary-judge.ts';
import { createCanaryJudge } from '../../packages/core/canary/create-canary-judge.ts';
import type { ReleaseLabels } from '../../packages/core/deploy/release.ts';
import type { CanaryMeasuring, CanaryPair } from '../../packages/core/strategies/canary-ports.ts';
import { releaseAddress } from '../../packages/core/strategies/release-health.ts';

/** The metrics setup a canary's door knows before any release: everything but the slots. */
export type MetricsPlan = Omit<MetricsSetup, 'slots' | 'now'>;

/** Checks the metrics inputs before the lock: the slots stand in for releases not started yet. */
export function checkMetricsPlan(plan: MetricsPlan): void {
  const placeholder = (colour: string, port: number): MetricsSlot => ({ colour, release: 'r00000000000000-000000000000', version: 'canary', address: `127.0.0.1:${port}` });
  checkMetricsSetup({ ...plan, slots: { blue: placeholder('blue', 1), green: placeholder('green', 2) } });
}

/** The metrics sources of the `metrics` input read for the canary's and stable's slots, and the sequential judge. */
export function canaryMeasuring(plan: MetricsPlan, judge: JudgeSettings): CanaryMeasuring {
  return {
    openMetrics: (pair: CanaryPair) => createMetricsSource({ ...plan, slots: { [pair.canary.colour]: slot(pair.canary), [pair.stable.colour]: slot(pair.stable) } }),
    createJudge: () => createCanaryJudge(judge),
  };
}

function slot(labels: ReleaseLabels): MetricsSlot {
  return { colour: labels.colour, release: labels.release, version: imageVersion(labels.image), address: releaseAddress({ labels }) };
}

/** What `{{version}}` stands for: the image's tag (`1.4.2` of `ghcr.io/acme/shop:1.4.2`), or its digest when pinned by one. */
export function imageVersion(image: string): string {
  const digest = image.indexOf('@');
  if (digest >= 0) return image.slice(digest + 1);
  const name = image.slice(image.lastIndexOf('/') + 1);
  const tag = name.indexOf(':');
  return tag >= 0 ? name.slice(tag + 1) : 'latest';
}
