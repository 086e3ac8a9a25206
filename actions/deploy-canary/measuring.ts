import { checkMetricsSetup, createMetricsSource, type MetricsSetup, type MetricsSlot } from '../../packages/adapters/metrics/create-metrics-source.ts';
import type { JudgeSettings } from '../../packages/core/canary/canary-judge.ts';
import { createCanaryJudge } from '../../packages/core/canary/create-canary-judge.ts';
import { BASELINE_SLOT, type ReleaseLabels } from '../../packages/core/deploy/release.ts';
import type { CanaryMeasuring, CanaryPair, TrafficLoad } from '../../packages/core/strategies/canary-ports.ts';
import { releaseAddress } from '../../packages/core/strategies/release-health.ts';

/** The metrics setup a canary's door knows before any release: everything but the slots. */
export type MetricsPlan = Omit<MetricsSetup, 'slots' | 'now'>;

/** Checks the metrics inputs before the lock: the slots stand in for releases not started yet. */
export function checkMetricsPlan(plan: MetricsPlan, withBaseline: boolean): void {
  const placeholder = (colour: string, port: number, version: string): MetricsSlot => ({
    colour,
    release: `r00000000000000-00000000000${port}`,
    version,
    address: `127.0.0.1:${port}`,
  });
  // The baseline runs stable's image and release: only {{colour}} tells it apart from stable.
  const baseline: Record<string, MetricsSlot> = withBaseline
    ? { [BASELINE_SLOT]: { ...placeholder(BASELINE_SLOT, 3, 'stable'), release: 'r00000000000000-000000000001' } }
    : {};
  checkMetricsSetup({ ...plan, slots: { blue: placeholder('blue', 1, 'stable'), green: placeholder('green', 2, 'canary'), ...baseline } });
}

/** The metrics sources of the `metrics` input read for the canary's, stable's and baseline's slots, the sequential judge, and the `load`. */
export function canaryMeasuring(plan: MetricsPlan, judge: JudgeSettings, load?: TrafficLoad): CanaryMeasuring {
  return {
    openMetrics: (pair: CanaryPair) =>
      createMetricsSource({
        ...plan,
        slots: {
          [pair.canary.colour]: slot(pair.canary),
          [pair.stable.colour]: slot(pair.stable),
          ...(pair.baseline ? { [BASELINE_SLOT]: slot(pair.baseline, BASELINE_SLOT) } : {}),
        },
      }),
    createJudge: () => createCanaryJudge(judge),
    ...(load ? { load } : {}),
  };
}

/** A slot of the reading; the baseline's is `baseline` (its labels keep stable's colour and release). */
function slot(labels: ReleaseLabels, name: string = labels.colour): MetricsSlot {
  return { colour: name, release: labels.release, version: imageVersion(labels.image), address: releaseAddress({ labels }) };
}

/** What `{{version}}` stands for: the image's tag (`1.4.2` of `ghcr.io/acme/shop:1.4.2`), or its digest when pinned by one. */
export function imageVersion(image: string): string {
  const digest = image.indexOf('@');
  if (digest >= 0) return image.slice(digest + 1);
  const name = image.slice(image.lastIndexOf('/') + 1);
  const tag = name.indexOf(':');
  return tag >= 0 ? name.slice(tag + 1) : 'latest';
}
