import { DockerTarget } from '../packages/adapters/docker/docker-target.ts';
import { readHostUsage } from '../packages/adapters/metrics/node-exporter-usage.ts';
import { ConfigurationError } from '../packages/core/errors.ts';
import { parseEnum } from '../packages/core/inputs/index.ts';
import { evaluateAlerts, type Alert, type AlertThresholds } from '../packages/core/monitor/alerts.ts';
import {
  coversContainers,
  coversHost,
  MONITOR_SCOPES,
  servicesOf,
  withCrashLoops,
  withUptime,
  type ContainerInventory,
  type HostUsage,
  type InfrastructureStatus,
  type MonitorScope,
} from '../packages/core/monitor/infrastructure-status.ts';
import type { ActionIO } from '../packages/runtime/action-io.ts';
import type { EventReporting } from './event-reporting.ts';

const PROMETHEUS_TIMEOUT_MS = 10_000;

export function readScope(raw: string, allowed: readonly MonitorScope[] = MONITOR_SCOPES): MonitorScope {
  return parseEnum('scope', raw, allowed);
}

export interface StatusRequest {
  scope: MonitorScope;
  /** '' for none: the host is then not read (an error when the scope is `host`). */
  prometheusUrl: string;
  thresholds: AlertThresholds;
  /** Only these containers, when given. */
  app?: string;
  environment?: string;
}

/** Fails before anything is read when the scope needs what was not given. */
export function checkStatusRequest(request: StatusRequest): void {
  if (request.scope === 'host' && request.prometheusUrl === '') {
    throw new ConfigurationError('scope: "host" needs prometheus-url: the host\'s CPU, memory and disk come from node_exporter through Prometheus');
  }
}

/** The containers the suite manages and the hosts Prometheus knows, with the alerts they raise. */
export async function collectStatus(
  io: ActionIO,
  request: StatusRequest,
  inventory: ContainerInventory,
  now: () => number = Date.now,
): Promise<InfrastructureStatus> {
  const readContainers = coversContainers(request.scope)
    ? inventory.managedContainers({ ...(request.app ? { app: request.app } : {}), ...(request.environment ? { environment: request.environment } : {}) })
    : Promise.resolve([]);
  const readHosts: Promise<HostUsage[]> =
    coversHost(request.scope) && request.prometheusUrl
      ? readHostUsage('prometheus-url', request.prometheusUrl, { timeoutMs: PROMETHEUS_TIMEOUT_MS, now: now() })
      : Promise.resolve([]);
  const [read, hosts] = await Promise.all([readContainers, readHosts]);
  const containers = withCrashLoops(read, now());
  if (coversHost(request.scope)) {
    if (!request.prometheusUrl) io.log.info("status: no prometheus-url, so the host's CPU, memory and disk are not read");
    else if (hosts.length === 0) io.log.warning('status: Prometheus has no node_exporter series (node_cpu_seconds_total); is node_exporter scraped?');
  }
  return {
    at: new Date(now()).toISOString(),
    scope: request.scope,
    services: servicesOf(containers),
    containers: withUptime(containers, now()),
    hosts,
    alerts: evaluateAlerts(containers, hosts, request.thresholds),
  };
}

/** The Docker engine of `docker-host`, else DOCKER_HOST. */
export function dockerInventory(io: ActionIO, dockerHost: string): DockerTarget {
  return new DockerTarget({ logger: io.log, ...(dockerHost ? { dockerHost } : {}) });
}

/** Each alert as a workflow annotation and, when the bus is configured, an `alert.raised` event. */
export async function raiseAlerts(io: ActionIO, status: InfrastructureStatus, events: EventReporting): Promise<void> {
  for (const alert of status.alerts) {
    io.annotate({ level: alert.severity === 'critical' ? 'error' : 'warning', title: `${alert.severity} alert`, message: alert.message });
    const container = status.containers.find((c) => alert.subject === `container ${c.name}`);
    await events.report('alert.raised', {
      ...(container?.app ? { app: container.app, environment: container.environment! } : {}),
      ...(container?.release ? { release: container.release, colour: container.colour! } : {}),
      outcome: 'failed',
      message: alert.message,
      alert: { severity: alert.severity, subject: alert.subject, metric: alert.metric, value: alert.value, threshold: alert.threshold },
    });
  }
}

export function alertVerdict(alerts: readonly Alert[]): string {
  const critical = alerts.filter((a) => a.severity === 'critical').length;
  return `${alerts.length} alert(s), ${critical} critical: ${alerts.map((a) => a.message).join('; ')}`;
}
