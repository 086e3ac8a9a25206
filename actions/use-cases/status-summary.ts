import type { ServiceAvailability } from '../../packages/core/monitor/availability.ts';
import type { InfrastructureStatus, ManagedContainer } from '../../packages/core/monitor/infrastructure-status.ts';
import { formatUptime } from '../../packages/core/monitor/uptime.ts';
import type { SummaryDoc } from '../../packages/runtime/summary/summary-doc.ts';

const dash = '–';
const pct = (value: number | undefined): string => (value === undefined ? dash : `${value.toFixed(1)}%`);

/** `48.0 MiB`, `1.9 GiB` */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

function stateCell(c: ManagedContainer): string {
  const mark = c.state === 'running' ? (c.health === 'unhealthy' ? '❌' : '✅') : c.state === 'restarting' ? '🔁' : '⛔';
  return `${mark} ${c.state}${c.state === 'running' ? '' : ` (exit ${c.exitCode})`}`;
}

function containerRow(c: ManagedContainer): string[] {
  const usage = c.usage;
  return [
    c.name,
    c.app ? `${c.app}/${c.environment}` : `untrusted: ${c.problem ?? ''}`,
    c.colour ?? dash,
    c.release ?? dash,
    c.image,
    stateCell(c),
    c.health,
    String(c.restarts),
    formatUptime(c.uptimeMs),
    usage ? pct(usage.cpuPercent) : dash,
    usage ? `${formatBytes(usage.memoryBytes)} / ${formatBytes(usage.memoryLimitBytes)} (${pct(usage.memoryPercent)})` : dash,
  ];
}

/** Services, containers, hosts and alerts: what runs where, whether it is well, what crosses a threshold. */
export function statusSummary(status: InfrastructureStatus): SummaryDoc {
  const critical = status.alerts.filter((a) => a.severity === 'critical').length;
  const verdict = status.alerts.length === 0 ? '✅ no alerts' : `${critical > 0 ? '❌' : '⚠️'} ${status.alerts.length} alert(s), ${critical} critical`;
  const doc: SummaryDoc = [
    { kind: 'heading', text: `Infrastructure status: ${verdict}`, level: 2 },
    {
      kind: 'paragraph',
      text: `Read at ${status.at}, scope ${status.scope}: ${status.containers.length} managed container(s), ${status.hosts.length} host(s).`,
    },
  ];
  if (status.alerts.length > 0) {
    doc.push({ kind: 'heading', text: 'Alerts', level: 3 });
    doc.push({
      kind: 'table',
      header: ['severity', 'subject', 'metric', 'value', 'threshold'],
      rows: status.alerts.map((a) => [
        a.severity,
        a.subject,
        a.metric,
        typeof a.value === 'number' ? pct(a.value) : a.value,
        typeof a.threshold === 'number' ? pct(a.threshold) : a.threshold,
      ]),
    });
  }
  if (status.services.length > 0) {
    doc.push({ kind: 'heading', text: 'Services', level: 3 });
    doc.push({
      kind: 'table',
      header: ['service', 'state', 'running', 'releases'],
      rows: status.services.map((s) => [`${s.app}/${s.environment}`, s.state, `${s.running}/${s.containers}`, s.releases.join(', ') || dash]),
    });
  }
  if (status.containers.length > 0) {
    doc.push({ kind: 'heading', text: 'Containers', level: 3 });
    doc.push({
      kind: 'table',
      header: ['container', 'service', 'colour', 'release', 'image', 'state', 'health', 'restarts', 'uptime', 'CPU', 'memory used / limit'],
      rows: status.containers.map(containerRow),
    });
  }
  if (status.hosts.length > 0) {
    doc.push({ kind: 'heading', text: 'Hosts', level: 3 });
    doc.push({
      kind: 'table',
      header: ['host', 'CPU', 'memory', 'disks'],
      rows: status.hosts.map((h) => [
        h.instance,
        pct(h.cpuPercent),
        pct(h.memoryPercent),
        h.disks.map((d) => `${d.mountpoint} ${pct(d.percent)}`).join(', ') || dash,
      ]),
    });
  }
  return doc;
}

/** Availability per service over a window of the event bus. */
export interface History {
  since: string;
  until: string;
  services: ServiceAvailability[];
}

export function historySummary(history: History): SummaryDoc {
  const doc: SummaryDoc = [{ kind: 'heading', text: `Availability from ${history.since} to ${history.until}`, level: 3 }];
  if (history.services.length === 0) {
    doc.push({ kind: 'paragraph', text: 'The event bus recorded no health check, deploy or rollback in this window.' });
    return doc;
  }
  doc.push({
    kind: 'table',
    header: ['service', 'availability', 'checks and deploys', 'incidents'],
    rows: history.services.map((s) => [s.service, `${s.availabilityPercent}%`, String(s.observations), String(s.incidents.length)]),
  });
  const incidents = history.services.flatMap((s) => s.incidents.map((i) => [s.service, i.start, i.end ?? 'ongoing', formatUptime(i.durationMs), i.cause]));
  if (incidents.length > 0) doc.push({ kind: 'table', header: ['service', 'start', 'end', 'lasted', 'cause'], rows: incidents });
  return doc;
}
