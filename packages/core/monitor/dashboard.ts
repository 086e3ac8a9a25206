import type { DevopsEvent } from '../events/devops-event.ts';
import type { InfrastructureStatus } from './infrastructure-status.ts';

/** The metrics a configured dashboard may list (infrastructure_monitoring.dashboards[].metrics). */
export type DashboardMetric = 'cpu' | 'memory' | 'disk' | 'network' | 'response_time' | 'error_rate' | 'active_deployments' | 'success_rate' | 'rollback_rate';

export interface DashboardRow {
  metric: DashboardMetric;
  /** '–' when status has no figure for it; `source` then says where to find one. */
  value: string;
  source: string;
}

const pct = (value: number): string => `${value.toFixed(1)}%`;
const max = (values: number[]): number | undefined => (values.length === 0 ? undefined : Math.max(...values));

/** Deploy outcomes of a window, for success and rollback rates. */
function deployCounts(events: readonly DevopsEvent[]): { finished: number; succeeded: number; rollbacks: number } {
  const count = (...types: string[]): number => events.filter((e) => types.includes(e.type)).length;
  return {
    finished: count('deploy.succeeded', 'deploy.failed', 'deploy.switched_back'),
    succeeded: count('deploy.succeeded'),
    rollbacks: count('rollback.succeeded', 'rollback.failed'),
  };
}

/**
 * One row per metric of a dashboard, from the status and, when a window was read, its events. Metrics
 * status does not measure say where they come from instead of showing a made-up figure.
 */
export function dashboardRows(metrics: readonly DashboardMetric[], status: InfrastructureStatus, events?: readonly DevopsEvent[]): DashboardRow[] {
  const hostCpu = max(status.hosts.flatMap((h) => (h.cpuPercent === undefined ? [] : [h.cpuPercent])));
  const hostMemory = max(status.hosts.flatMap((h) => (h.memoryPercent === undefined ? [] : [h.memoryPercent])));
  const usage = status.containers.flatMap((c) => (c.usage ? [c.usage] : []));
  const containerCpu = max(usage.map((u) => u.cpuPercent));
  const containerMemory = max(usage.map((u) => u.memoryPercent));
  const both = (host: number | undefined, container: number | undefined): string =>
    [host === undefined ? '' : `host ${pct(host)}`, container === undefined ? '' : `busiest container ${pct(container)}`].filter(Boolean).join(', ') || '–';
  const deploys = events ? deployCounts(events) : undefined;
  const rows: Record<DashboardMetric, () => Omit<DashboardRow, 'metric'>> = {
    cpu: () => ({ value: both(hostCpu, containerCpu), source: 'node_exporter, docker stats' }),
    memory: () => ({ value: both(hostMemory, containerMemory), source: 'node_exporter, docker stats' }),
    disk: () => {
      const fullest = max(status.hosts.flatMap((h) => h.disks.map((d) => d.percent)));
      return { value: fullest === undefined ? '–' : `fullest file system ${pct(fullest)}`, source: 'node_exporter' };
    },
    active_deployments: () => ({
      value: String(status.services.reduce((sum, s) => sum + s.releases.length, 0)),
      source: 'releases running on the Docker engine',
    }),
    success_rate: () =>
      deploys && deploys.finished > 0
        ? { value: pct((100 * deploys.succeeded) / deploys.finished), source: `${deploys.finished} deploy(s) on the event bus` }
        : { value: '–', source: deploys ? 'no deploy in the window' : 'give since (the event bus)' },
    rollback_rate: () =>
      deploys && deploys.finished > 0
        ? { value: pct((100 * deploys.rollbacks) / deploys.finished), source: `${deploys.rollbacks} rollback(s) per ${deploys.finished} deploy(s)` }
        : { value: '–', source: deploys ? 'no deploy in the window' : 'give since (the event bus)' },
    network: () => ({ value: '–', source: 'not read by status' }),
    response_time: () => ({ value: '–', source: 'health-check (latency p95)' }),
    error_rate: () => ({ value: '–', source: 'health-check (success rate), metrics' }),
  };
  return metrics.map((metric) => ({ metric, ...rows[metric]() }));
}
