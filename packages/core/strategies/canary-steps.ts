import type { CanaryJudge, LookAnalysis } from '../canary/canary-judge.ts';
import type { MetricsSource, VersionWindow } from '../canary/metrics-source.ts';
import { errorMessage } from '../errors.ts';
import { formatDuration } from '../inputs/durations.ts';
import type { RunningRelease } from '../deploy/target.ts';
import { BASELINE_SLOT } from '../deploy/release.ts';
import { baselineWeight, splitWithBaseline } from './canary-baseline.ts';
import { splitTraffic } from './canary-outcomes.ts';
import type { CanaryPlan, CanaryPorts, CanaryResult, CanaryStep } from './canary-ports.ts';

export interface StepsRun {
  stable: RunningRelease;
  canary: RunningRelease;
  /** Compared with the canary in the steps it takes a share in; stable in the others. */
  baseline?: RunningRelease;
  plan: CanaryPlan;
  metrics: MetricsSource;
  judge: CanaryJudge;
  keepLock(): Promise<void>;
}

/** How the steps ended: every one passed, one failed (abort), or the canary waits for a person. */
export type StepsEnd = Pick<CanaryResult, 'steps' | 'analyses' | 'weights' | 'reasons'> & { end: 'passed' | 'failed' | 'paused' };

/** A slot the source has no line for answered nothing: zero requests is data, never "no data". */
const NOTHING: VersionWindow = { requests: 0, errors: 0, latency: { kind: 'none' } };

/**
 * The canary's traffic steps: at each, the split is applied, and every lookIntervalMs the metrics
 * are read and handed to the judge. A fail ends the steps at once; a step passes when its interval
 * has elapsed and its last verdict is a pass. Router errors are thrown for the caller to abort.
 */
export async function runCanarySteps(ports: CanaryPorts, run: StepsRun): Promise<StepsEnd> {
  const { router, clock, logger } = ports;
  const { stable, canary, baseline, plan, metrics, judge } = run;
  const result: StepsEnd = { end: 'passed', steps: [], analyses: [], weights: [], reasons: [] };
  const ended = (end: StepsEnd['end'], reasons: string[]): StepsEnd => ({ ...result, end, reasons });
  const weights = plan.autoPromote ? plan.steps : plan.steps.filter((w) => w < 100);

  for (const [index, weight] of weights.entries()) {
    await run.keepLock();
    const beside = baseline ? baselineWeight(weight) : 0;
    const comparedWith = beside > 0 ? 'baseline' : 'stable';
    const reference = beside > 0 ? BASELINE_SLOT : stable.labels.colour;
    logger.info(
      `step ${index + 1} of ${weights.length}: ${weight}% to the canary (${canary.labels.colour}), ${beside > 0 ? `${beside}% to the baseline, ` : ''}${100 - weight - beside}% to stable (${stable.labels.colour}); compared with ${comparedWith}`,
    );
    await router.apply(baseline ? splitWithBaseline(stable, canary, baseline, weight) : splitTraffic(stable, canary, weight));
    result.weights.push({ atMs: clock.now(), weight });
    await ports.report?.('canary.step', { release: canary.labels.release, colour: canary.labels.colour, previousRelease: stable.labels.release, weight });
    // Read once so the step's first window holds only this split's requests.
    await metrics.read().catch(() => undefined);
    judge.beginStep(index, weight, comparedWith);
    const step: CanaryStep = { index, weight, startedAtMs: clock.now(), endedAtMs: clock.now(), decision: 'pending', reasons: [], looks: 0, comparedWith };
    result.steps.push(step);
    logger.info(`canary at ${weight}%: ${metrics.describe()} read every ${formatDuration(plan.lookIntervalMs)} for ${formatDuration(plan.stepIntervalMs)}`);
    const load = ports.measuring.load;
    if (load) logger.info(`sending the action's own requests: ${load.describe()}`);
    const sending = load?.start();
    try {
      const end = await observeStep(ports, { ...run, analyses: result.analyses }, step, reference);
      if (end) return ended(end.end, end.reasons);
    } finally {
      if (sending) step.load = await sending.stop();
    }
    logger.info(`step ${index + 1} (${weight}%) passed after ${step.looks} looks`);
  }
  if (plan.autoPromote) return result;
  return ended('paused', [`auto-promote is false: the canary waits at ${weights.at(-1)}% for \`action: promote\` or \`action: abort\``]);
}

/** Looks at one step until it passes (undefined), or ends the steps (failed, or paused when inconclusive). */
async function observeStep(
  ports: CanaryPorts,
  run: StepsRun & { analyses: LookAnalysis[] },
  step: CanaryStep,
  reference: string,
): Promise<{ end: 'failed' | 'paused'; reasons: string[] } | undefined> {
  const { clock, logger } = ports;
  const { canary, plan, metrics, judge } = run;
  const { index, weight } = step;
  let failedReads = 0;

  for (let attempt = 1; ; attempt++) {
    // Looks keep their cadence whatever a read costs: the nth is due n intervals into the step.
    await clock.sleep(Math.max(0, step.startedAtMs + attempt * plan.lookIntervalMs - clock.now()));
    step.endedAtMs = clock.now();
    try {
      const reading = await metrics.read();
      failedReads = 0;
      const verdict = judge.look({
        atMs: reading.atMs,
        canary: reading.slots[canary.labels.colour] ?? NOTHING,
        stable: reading.slots[reference] ?? NOTHING,
      });
      run.analyses.push(verdict.analysis);
      Object.assign(step, { decision: verdict.decision, reasons: verdict.reasons, looks: step.looks + 1, last: verdict.analysis });
      if (verdict.decision === 'fail') return { end: 'failed', reasons: verdict.reasons };
    } catch (error) {
      failedReads += 1;
      logger.warning(`${metrics.describe()} could not be read (${failedReads} of ${plan.maxFailedReads} in a row): ${errorMessage(error)}`);
      if (failedReads >= plan.maxFailedReads) {
        const why = `${metrics.describe()} could not be read ${failedReads} times in a row: ${errorMessage(error)}`;
        Object.assign(step, { decision: 'fail', reasons: [why] });
        return { end: 'failed', reasons: [why] };
      }
    }
    if (step.endedAtMs - step.startedAtMs < plan.stepIntervalMs) continue;
    if (step.decision === 'pass') return undefined;
    // At 100% stable takes no requests, so nothing can be compared: the step passes on the absolute
    // gates alone, which the judge applies once the canary has its requests.
    if (weight === 100 && step.decision === 'inconclusive' && step.last?.gates.length && step.last.gates.every((g) => g.passed)) return undefined;
    const why = `step ${index + 1} (${weight}%) had no verdict after ${formatDuration(plan.stepIntervalMs)}: ${step.reasons.join('; ') || 'no metrics were read'}`;
    return { end: plan.onInconclusive === 'abort' ? 'failed' : 'paused', reasons: [why] };
  }
}
