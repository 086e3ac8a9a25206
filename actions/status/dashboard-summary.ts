import type { DevopsConfig } from '../../packages/core/config/index.ts';
import type { DevopsEvent } from '../../packages/core/events/devops-event.ts';
import { formatDuration } from '../../packages/core/inputs/index.ts';
import { dashboardRows } from '../../packages/core/monitor/dashboard.ts';
import type { InfrastructureStatus } from '../../packages/core/monitor/infrastructure-status.ts';
import type { SummaryDoc } from '../../packages/runtime/summary/summary-doc.ts';

type Dashboard = DevopsConfig['infrastructure_monitoring']['dashboards'][number];

/** A configured dashboard as a summary section: its metrics in a table, container CPU and memory as a chart. */
export function dashboardSummary(dashboard: Dashboard, status: InfrastructureStatus, events?: readonly DevopsEvent[]): SummaryDoc {
  const doc: SummaryDoc = [
    { kind: 'heading', text: `Dashboard: ${dashboard.name} (refresh ${formatDuration(dashboard.refresh_interval)})`, level: 3 },
    { kind: 'table', header: ['metric', 'value', 'from'], rows: dashboardRows(dashboard.metrics, status, events).map((r) => [r.metric, r.value, r.source]) },
  ];
  const measured = status.containers.filter((c) => c.usage);
  const wanted = dashboard.metrics.filter((m): m is 'cpu' | 'memory' => m === 'cpu' || m === 'memory');
  if (measured.length > 1 && wanted.length > 0) {
    doc.push({
      kind: 'chart',
      title: `${dashboard.name}: containers`,
      xLabel: 'container',
      yLabel: '%',
      x: measured.map((c) => c.name),
      series: wanted.map((m) => ({
        name: m === 'cpu' ? 'CPU %' : 'memory %',
        values: measured.map((c) => +(m === 'cpu' ? c.usage!.cpuPercent : c.usage!.memoryPercent).toFixed(1)),
      })),
    });
  }
  return doc;
}
