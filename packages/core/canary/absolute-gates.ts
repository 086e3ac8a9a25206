import { formatMs } from '../health/percentiles.ts';
import type { GateResult, JudgeSettings, VersionFigures } from './canary-judge.ts';
import { formatRate } from './judge-format.ts';

/** Fixed limits on the canary's own figures in this step, whatever stable does. */
export function absoluteGates(
  canary: VersionFigures,
  settings: Pick<JudgeSettings, 'successThreshold' | 'maxLatencyP95Ms'>,
): { gates: GateResult[]; failures: string[] } {
  const gates: GateResult[] = [];
  const failures: string[] = [];
  const successRate = 1 - (canary.errorRate ?? 0);
  const successPassed = successRate >= settings.successThreshold;
  gates.push({ gate: 'success rate', observed: successRate, limit: settings.successThreshold, passed: successPassed });
  if (!successPassed) {
    failures.push(
      `canary success rate ${formatRate(successRate)} (${canary.requests - canary.errors}/${canary.requests} in this step) ` +
        `is below the success threshold ${formatRate(settings.successThreshold)}`,
    );
  }
  if (settings.maxLatencyP95Ms !== undefined) {
    // A source that only averages (HAProxy) has no p95: the gate is listed unmeasured and cannot fail.
    const p95Passed = canary.p95Ms === undefined || canary.p95Ms <= settings.maxLatencyP95Ms;
    const gate: GateResult = { gate: 'latency p95', limit: settings.maxLatencyP95Ms, passed: p95Passed };
    if (canary.p95Ms !== undefined) gate.observed = canary.p95Ms;
    gates.push(gate);
    if (!p95Passed) {
      failures.push(`canary p95 latency ${formatMs(canary.p95Ms!)} in this step is above max-latency-p95 ${formatMs(settings.maxLatencyP95Ms)}`);
    }
  }
  return { gates, failures };
}
