import { ActionFailure, ActionSkipped } from '../../packages/core/errors.ts';
import { parseBoolean } from '../../packages/core/inputs/index.ts';
import { readAlertThresholds } from '../../packages/core/monitor/alert-thresholds.ts';
import type { ActionIO } from '../../packages/runtime/action-io.ts';
import { inputReader } from '../../packages/runtime/input-reader.ts';
import { outputWriter } from '../../packages/runtime/output-writer.ts';
import { loadActionConfig } from '../action-config.ts';
import { environmentStrategy } from '../../packages/core/config/environment-strategy.ts';
import { fleetInventory } from '../../packages/core/monitor/fleet-inventory.ts';
import { openFleet, readRemoteHosts } from '../remote-hosts.ts';
import { eventReporting, eventsRedisUrl } from '../event-reporting.ts';
import { alertVerdict, checkStatusRequest, collectStatus, dockerInventory, raiseAlerts, readScope } from '../infrastructure-status.ts';
import { status } from './definition.ts';
import { dashboardSummary } from './dashboard-summary.ts';
import { historySummary, statusSummary } from '../use-cases/status-summary.ts';
import { readAvailabilityWindow, readWindowInput } from '../use-cases/availability-window.ts';

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

  const windowMs = readWindowInput(inputs.get('since'), redisUrl);

  const remote = readRemoteHosts(
    inputs,
    io,
    request.environment ? environmentStrategy(config, request.environment).hosts : config.devops_automator.deployment.hosts,
  );
  const fleet = remote ? await openFleet(remote, { kind: 'none', endpoint: '', service: 'status' }, io) : undefined;
  let current;
  try {
    const inventory = fleet
      ? fleetInventory(fleet.hosts.map((host) => ({ name: host.connection.host.hostname, inventory: host.target })))
      : dockerInventory(io, inputs.get('docker-host'));
    current = await collectStatus(io, request, inventory);
  } finally {
    await fleet?.close();
  }
  const window = windowMs === undefined ? undefined : await readAvailabilityWindow(redisUrl, windowMs, request);
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
