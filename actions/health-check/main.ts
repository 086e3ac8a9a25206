import { createProber } from '../../packages/adapters/probes/composite-prober.ts';
import { systemClock } from '../../packages/adapters/probes/system-clock.ts';
import { checkNamePart } from '../../packages/core/deploy/release.ts';
import { ActionFailure, ConfigurationError } from '../../packages/core/errors.ts';
import { parseHealthPlan, runHealthSession, type HealthPlan, type HealthReport } from '../../packages/core/health/index.ts';
import { parseBoolean } from '../../packages/core/inputs/index.ts';
import { readAlertThresholds } from '../../packages/core/monitor/alert-thresholds.ts';
import type { InfrastructureStatus } from '../../packages/core/monitor/infrastructure-status.ts';
import type { ActionIO } from '../../packages/runtime/action-io.ts';
import { inputReader } from '../../packages/runtime/input-reader.ts';
import { outputWriter, type OutputWriter } from '../../packages/runtime/output-writer.ts';
import type { OutputName } from '../../packages/runtime/action-definition.ts';
import type { SummaryDoc } from '../../packages/runtime/summary/summary-doc.ts';
import { loadActionConfig } from '../action-config.ts';
import { explainContainer } from '../container-evidence.ts';
import { eventReporting, eventsRedisUrl } from '../event-reporting.ts';
import { alertVerdict, checkStatusRequest, collectStatus, dockerInventory, raiseAlerts, readScope, type StatusRequest } from '../infrastructure-status.ts';
import { historySummary, statusSummary } from '../use-cases/status-summary.ts';
import { readAvailabilityWindow, readWindowInput } from '../use-cases/availability-window.ts';
import { healthCheck } from './definition.ts';
import { readHealthCheckInputs, withConfiguredLatency } from './inputs.ts';
import { healthSummary } from './summary.ts';

const CONTAINER_SCHEME = 'container://';
const fixed = (value: number | null | undefined): string => (value == null ? '' : value.toFixed(value < 10 ? 2 : 1));

/**
 * health-check: read inputs, probe the targets and/or read the infrastructure (scope), write report,
 * status, outputs and summary, then the verdict.
 */
export async function healthCheckMain(io: ActionIO): Promise<void> {
  const inputs = inputReader(healthCheck, io);
  const outputs = outputWriter(healthCheck, io);
  // The inputs are checked before the configuration file is read and parsed: a bad one fails at once.
  const scope = readScope(inputs.get('scope'));
  // With `all`, targets are probed when some are given; with `targets` they are required.
  const probes = scope === 'targets' || (scope === 'all' && (inputs.get('targets') !== '' || inputs.get('prometheus-queries') !== ''));
  const givenPlan = probes ? parseHealthPlan(readHealthCheckInputs(inputs)) : undefined;
  const failOnAlert = parseBoolean('fail-on-alert', inputs.get('fail-on-alert'));
  const service = serviceScope(inputs.get('app'), inputs.get('environment'));
  const config = await loadActionConfig(inputs.get('config'), io);
  const plan: HealthPlan | undefined = givenPlan && withConfiguredLatency(givenPlan, config);
  let request: StatusRequest | undefined;
  if (scope !== 'targets') {
    request = {
      scope,
      prometheusUrl: inputs.get('prometheus-url'),
      thresholds: readAlertThresholds(
        { maxCpu: inputs.get('max-cpu'), maxMemory: inputs.get('max-memory'), maxDisk: inputs.get('max-disk') },
        config.devops_automator.monitoring.alert_thresholds,
      ),
    };
    checkStatusRequest(request);
  }
  const redisUrl = eventsRedisUrl(io, inputs.get('events-redis-url'), config);
  const windowMs = readWindowInput(inputs.get('since'), redisUrl);

  const report = plan ? await probeTargets(io, plan) : undefined;
  const current = request ? await collectStatus(io, request, dockerInventory(io, inputs.get('docker-host'))) : undefined;
  const alerting = (current?.alerts.length ?? 0) > 0;
  const healthy = (report?.healthy ?? true) && !alerting;

  outputs.set('healthy', String(healthy));
  if (report) await writeProbeOutputs(io, outputs, report);
  if (current) {
    outputs.set('status-path', await io.writeReport('status', current));
    outputs.set('alerts', String(current.alerts.length));
  }
  const explained = report ? await failingContainers(io, report, inputs.get('docker-host')) : [];
  const events = eventReporting(io, { action: healthCheck.name, ...service }, { redisUrl });
  try {
    if (current) await raiseAlerts(io, current, events);
    await events.report('health_check.finished', {
      outcome: healthy ? 'passed' : 'failed',
      message: verdict(report, current),
      ...(report ? { durationMs: Math.round(report.durationMs) } : {}),
    });
  } finally {
    await events.close();
  }
  // Read after this check's own event went out, so the window counts it.
  const window =
    windowMs === undefined ? undefined : await readAvailabilityWindow(redisUrl, windowMs, { app: inputs.get('app'), environment: inputs.get('environment') });
  await io.writeSummary([
    ...(report ? healthSummary(report) : []),
    ...explained,
    ...(current ? statusSummary(current) : []),
    ...(window ? historySummary(window.history) : []),
  ]);
  if (report && !report.healthy) throw new ActionFailure(report.message);
  if (current && alerting && failOnAlert) throw new ActionFailure(alertVerdict(current.alerts));
  io.log.info(verdict(report, current));
}

async function probeTargets(io: ActionIO, plan: HealthPlan): Promise<HealthReport> {
  io.log.info(`health-check: ${plan.targets.length} target(s), ${plan.session.requiredSuccesses} consecutive healthy round(s) needed`);
  const prober = createProber();
  try {
    return await runHealthSession(plan, { prober, clock: systemClock, logger: io.log });
  } finally {
    prober.close();
  }
}

async function writeProbeOutputs(io: ActionIO, outputs: OutputWriter<OutputName<typeof healthCheck>>, report: HealthReport): Promise<void> {
  const { successRate, latency } = report.overall;
  outputs.set('success-rate', fixed(successRate));
  outputs.set('latency-p50-ms', fixed(latency?.p50));
  outputs.set('latency-p95-ms', fixed(latency?.p95));
  outputs.set('latency-p99-ms', fixed(latency?.p99));
  outputs.set('report-path', await io.writeReport('health-check', report));
}

/** Which service the check's events count for; both names are checked as a deploy checks them. */
function serviceScope(app: string, environment: string): { app?: string; environment?: string } {
  if (!app && !environment) return {};
  if (!app || !environment) throw new ConfigurationError(`app and environment name the service together; only ${app ? 'app' : 'environment'} was given`);
  return { app: checkNamePart('app', app), environment: checkNamePart('environment', environment) };
}

/** The evidence of each `container://` target failing in the last round: its end, health log and last lines. */
async function failingContainers(io: ActionIO, report: HealthReport, dockerHost: string): Promise<SummaryDoc> {
  const names = report.targets
    .filter((t) => t.target.startsWith(CONTAINER_SCHEME) && t.lastFailure !== undefined && t.lastFailure.round === t.roundsTotal)
    .map((t) => t.target.slice(CONTAINER_SCHEME.length));
  if (names.length === 0) return [];
  const target = dockerInventory(io, dockerHost);
  return (await Promise.all(names.map((name) => explainContainer(target, name)))).flat();
}

function verdict(report: HealthReport | undefined, current: InfrastructureStatus | undefined): string {
  const parts = [
    report?.message,
    current
      ? current.alerts.length > 0
        ? alertVerdict(current.alerts)
        : `${current.containers.length} container(s), ${current.hosts.length} host(s): no alerts`
      : undefined,
  ];
  return parts.filter(Boolean).join('; ');
}
