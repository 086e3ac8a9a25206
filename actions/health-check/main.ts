import { createProber } from '../../packages/adapters/probes/composite-prober.ts';
import { systemClock } from '../../packages/adapters/probes/system-clock.ts';
import { ActionFailure } from '../../packages/core/errors.ts';
import { parseHealthPlan, runHealthSession, type HealthReport } from '../../packages/core/health/index.ts';
import type { ActionIO } from '../../packages/runtime/action-io.ts';
import { inputReader } from '../../packages/runtime/input-reader.ts';
import { loadActionConfig } from '../action-config.ts';
import { eventReporting, eventsRedisUrl } from '../event-reporting.ts';
import { healthCheck } from './definition.ts';
import { readHealthCheckInputs } from './inputs.ts';
import { healthSummary } from './summary.ts';

const fixed = (value: number | null | undefined): string => (value == null ? '' : value.toFixed(value < 10 ? 2 : 1));

/** health-check: read inputs, run the session, write report, outputs and summary, then the verdict. */
export async function healthCheckMain(io: ActionIO): Promise<void> {
  const inputs = inputReader(healthCheck, io);
  const config = await loadActionConfig(inputs.get('config'), io);
  const plan = parseHealthPlan(readHealthCheckInputs(inputs, config));
  const redisUrl = eventsRedisUrl(io, inputs.get('events-redis-url'), config);
  io.log.info(`health-check: ${plan.targets.length} target(s), ${plan.session.requiredSuccesses} consecutive healthy round(s) needed`);

  const prober = createProber();
  let report: HealthReport;
  try {
    report = await runHealthSession(plan, { prober, clock: systemClock, logger: io.log });
  } finally {
    prober.close();
  }

  const reportPath = await io.writeReport('health-check', report);
  const { successRate, latency } = report.overall;
  io.setOutput('healthy', String(report.healthy));
  io.setOutput('success-rate', fixed(successRate));
  io.setOutput('latency-p50-ms', fixed(latency?.p50));
  io.setOutput('latency-p95-ms', fixed(latency?.p95));
  io.setOutput('latency-p99-ms', fixed(latency?.p99));
  io.setOutput('report-path', reportPath);
  await io.writeSummary(healthSummary(report));
  const events = eventReporting(io, { action: healthCheck.name }, { redisUrl });
  try {
    await events.report('health_check.finished', { outcome: report.healthy ? 'passed' : 'failed', message: report.message, durationMs: Math.round(report.durationMs) });
  } finally {
    await events.close();
  }
  if (!report.healthy) throw new ActionFailure(report.message);
  io.log.info(report.message);
}
