import { readEventHistory } from '../../packages/adapters/bus/redis-history.ts';
import { ActionFailure, ActionSkipped, ConfigurationError, errorMessage } from '../../packages/core/errors.ts';
import { parseBoolean, parseDuration } from '../../packages/core/inputs/index.ts';
import type { DevopsEvent } from '../../packages/core/events/devops-event.ts';
import { availabilityFrom } from '../../packages/core/monitor/availability.ts';
import { readAlertThresholds } from '../../packages/core/monitor/alert-thresholds.ts';
import type { ActionIO } from '../../packages/runtime/action-io.ts';
import { inputReader } from '../../packages/runtime/input-reader.ts';
import { outputWriter } from '../../packages/runtime/output-writer.ts';
import { loadActionConfig } from '../action-config.ts';
import { eventReporting, eventsRedisUrl } from '../event-reporting.ts';
import { alertVerdict, checkStatusRequest, collectStatus, dockerInventory, raiseAlerts, readScope } from '../infrastructure-status.ts';
import { status } from './definition.ts';
import { dashboardSummary } from './dashboard-summary.ts';
import { historySummary, statusSummary, type History } from '../use-cases/status-summary.ts';

async function readWindow(redisUrl: string, windowMs: number, scope: { app: string; environment: string }): Promise<{ history: History; events: DevopsEvent[] }> {
  const until = Date.now();
  const since = until - windowMs;
  const filter = { ...(scope.app ? { app: scope.app } : {}), ...(scope.environment ? { environment: scope.environment } : {}) };
  let events;
  try {
    events = await readEventHistory(redisUrl, since, filter);
  } catch (error) {
    throw new ActionFailure(`since: ${errorMessage(error)}`);
  }
  return { events, history: { since: new Date(since).toISOString(), until: new Date(until).toISOString(), services: availabilityFrom(events, { since, until }) } };
}

/** status: read the engine and the host, evaluate thresholds, write the status file, summary and alerts. */
export async function statusMain(io: ActionIO): Promise<void> {
  const inputs = inputReader(status, io);
  const outputs = outputWriter(status, io);
  const config = await loadActionConfig(inputs.get('config'), io);
  if (!config.devops_automator.monitoring.enabled) {
    throw new ActionSkipped(`devops_automator.monitoring.enabled is false in ${inputs.get('config')}: nothing was read`);
  }
  const request = {
    scope: readScope(inputs.get('scope'), ['containers', 'host', 'all']),
    prometheusUrl: inputs.get('prometheus-url'),
    thresholds: readAlertThresholds(
      { maxCpu: inputs.get('max-cpu'), maxMemory: inputs.get('max-memory'), maxDisk: inputs.get('max-disk') },
      config.devops_automator.monitoring.alert_thresholds,
    ),
    app: inputs.get('app'),
    environment: inputs.get('environment'),
  };
  checkStatusRequest(request);
  const failOnAlert = parseBoolean('fail-on-alert', inputs.get('fail-on-alert'));
  const redisUrl = eventsRedisUrl(io, inputs.get('events-redis-url'), config);

  const windowMs = inputs.get('since') === '' ? undefined : parseDuration('since', inputs.get('since'), { minMs: 60_000 });
  if (windowMs !== undefined && !redisUrl) {
    throw new ConfigurationError('since: the history comes from the event bus; give events-redis-url or set devops_automator.events.redis_url');
  }

  const current = await collectStatus(io, request, dockerInventory(io, inputs.get('docker-host')));
  const window = windowMs === undefined ? undefined : await readWindow(redisUrl, windowMs, request);
  const history = window?.history;
  outputs.set('status-path', await io.writeReport('status', { ...current, ...(history ? { history } : {}) }));
  outputs.set('alerts', String(current.alerts.length));
  const dashboards = config.infrastructure_monitoring.dashboards.flatMap((d) => dashboardSummary(d, current, window?.events));
  await io.writeSummary([...statusSummary(current), ...(history ? historySummary(history) : []), ...dashboards]);
  const events = eventReporting(io, { action: status.name }, { redisUrl });
  try {
    await raiseAlerts(io, current, events);
  } finally {
    await events.close();
  }
  if (current.alerts.length > 0 && failOnAlert) throw new ActionFailure(alertVerdict(current.alerts));
  io.log.info(`status: ${current.containers.length} container(s), ${current.hosts.length} host(s), ${current.alerts.length} alert(s)`);
}
