import type { JudgeSettings } from '../../packages/core/canary/canary-judge.ts';
import { ActionFailure } from '../../packages/core/errors.ts';
import type { CanaryMeasuring } from '../../packages/core/strategies/canary-ports.ts';
import type { ActionIO } from '../../packages/runtime/action-io.ts';
import type { MetricsChoice } from './inputs.ts';

/** What the metrics sources need beyond the choice: the router they read counters from. */
export interface MeasuringContext {
  router: string;
  routerEndpoint: string;
  service: string;
  io: ActionIO;
}

/**
 * WIRING POINT: the metrics sources (packages/adapters/metrics, branch `metrics`) and the judge
 * (createCanaryJudge, branch `judge`) are built in parallel; until they are merged the canary fails
 * here, before its container starts, saying so.
 */
export function canaryMeasuring(choices: readonly MetricsChoice[], judge: JudgeSettings, context: MeasuringContext): CanaryMeasuring {
  const notWired = (what: string): ActionFailure =>
    new ActionFailure(`the canary ${what} is not wired in this build (${choices.map((c) => c.kind).join(', ')}; judge at ${judge.confidence * 100}% for ${context.service}); no canary was started`);
  return {
    openMetrics: async () => {
      throw notWired('metrics source');
    },
    createJudge: () => {
      throw notWired('judge');
    },
  };
}
