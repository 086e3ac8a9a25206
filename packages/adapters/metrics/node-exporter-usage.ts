import { ActionFailure } from '../../core/errors.ts';
import type { PrometheusSeries } from '../../core/health/index.ts';
import type { HostUsage } from '../../core/monitor/infrastructure-status.ts';
import { queryPrometheus } from './prometheus-query.ts';

/** node_exporter's standard metrics, as % of each host. File systems that are not disks are left out. */
export const HOST_QUERIES = {
  cpu: '100 * (1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[1m])))',
  memory: '100 * (1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes)',
  disk: '100 * (1 - node_filesystem_avail_bytes{fstype!~"tmpfs|devtmpfs|ramfs|overlay|squashfs|nsfs|autofs|fuse\\\\..*"} / node_filesystem_size_bytes)',
} as const;

/**
 * Each host node_exporter reports to Prometheus, read at one instant. Prometheus unreachable or refusing
 * a query fails naming `what` (the input that gave the URL); no node_exporter series is an empty list.
 */
export async function readHostUsage(what: string, prometheusUrl: string, { timeoutMs, now }: { timeoutMs: number; now: number }): Promise<HostUsage[]> {
  const time = now / 1000;
  const [cpu, memory, disk] = await Promise.all(
    Object.values(HOST_QUERIES).map(async (query) => {
      const observation = await queryPrometheus(prometheusUrl, query, { timeoutMs, time });
      if (observation.error !== undefined) throw new ActionFailure(`${what}: ${observation.error}`);
      return (observation.series ?? []).filter((s) => Number.isFinite(Number(s.value)));
    }),
  );
  return hostUsageFrom(cpu!, memory!, disk!);
}

/** Joins the three queries' series by `instance`, in instance order. */
export function hostUsageFrom(cpu: PrometheusSeries[], memory: PrometheusSeries[], disk: PrometheusSeries[]): HostUsage[] {
  const hosts = new Map<string, HostUsage>();
  const host = (series: PrometheusSeries): HostUsage => {
    const instance = series.labels.instance ?? 'unknown';
    if (!hosts.has(instance)) hosts.set(instance, { instance, disks: [] });
    return hosts.get(instance)!;
  };
  for (const s of cpu) host(s).cpuPercent = Number(s.value);
  for (const s of memory) host(s).memoryPercent = Number(s.value);
  for (const s of disk) host(s).disks.push({ mountpoint: s.labels.mountpoint ?? s.labels.device ?? '?', percent: Number(s.value) });
  for (const h of hosts.values()) h.disks.sort((a, b) => a.mountpoint.localeCompare(b.mountpoint));
  return [...hosts.values()].sort((a, b) => a.instance.localeCompare(b.instance));
}
