import type { ContainerSnapshot, HostUsage } from './infrastructure-status.ts';

/** Usage, in %, at which an alert is raised (devops_automator.monitoring.alert_thresholds). */
export interface AlertThresholds {
  cpu: number;
  memory: number;
  disk: number;
}

export type AlertSeverity = 'warning' | 'critical';
export type AlertMetric = 'cpu' | 'memory' | 'disk' | 'state' | 'health';

export interface Alert {
  severity: AlertSeverity;
  /** `container sidhe-shop.prod-blue`, `host 127.0.0.1:9100`, `host 127.0.0.1:9100 disk /`. */
  subject: string;
  metric: AlertMetric;
  /** A % for resources; the state or health word otherwise. */
  value: number | string;
  threshold: number | string;
  message: string;
}

/**
 * A crossing is `warning`; past halfway from the threshold to 100% it is `critical` (threshold 80:
 * critical from 90). A container that does not run, or whose health check fails, is `critical`.
 */
export function severityOf(value: number, threshold: number): AlertSeverity {
  return value >= threshold + (100 - threshold) / 2 ? 'critical' : 'warning';
}

const percent = (value: number): string => `${+value.toFixed(1)}%`;

function usageAlert(subject: string, metric: 'cpu' | 'memory' | 'disk', value: number | undefined, threshold: number): Alert[] {
  if (value === undefined || value < threshold) return [];
  const what = metric === 'cpu' ? 'CPU' : metric;
  return [
    {
      severity: severityOf(value, threshold),
      subject,
      metric,
      value: +value.toFixed(2),
      threshold,
      message: `${subject}: ${what} ${percent(value)} is at or above the alert threshold ${percent(threshold)}`,
    },
  ];
}

function containerAlerts(c: ContainerSnapshot, thresholds: AlertThresholds): Alert[] {
  const subject = `container ${c.name}`;
  if (c.state !== 'running') {
    const why = c.state === 'restarting' || c.restarts > 0 ? `, restarted ${c.restarts} time(s)` : '';
    return [
      {
        severity: 'critical',
        subject,
        metric: 'state',
        value: c.state,
        threshold: 'running',
        message: `${subject} is ${c.state} (exit code ${c.exitCode}${why})`,
      },
    ];
  }
  const alerts: Alert[] = [];
  if (c.health === 'unhealthy') {
    const log = c.healthLog ? `: ${c.healthLog}` : '';
    alerts.push({ severity: 'critical', subject, metric: 'health', value: 'unhealthy', threshold: 'healthy', message: `${subject} is unhealthy${log}` });
  }
  if (c.usage) {
    alerts.push(...usageAlert(subject, 'cpu', c.usage.cpuPercent, thresholds.cpu));
    alerts.push(...usageAlert(subject, 'memory', c.usage.memoryPercent, thresholds.memory));
  }
  return alerts;
}

function hostAlerts(host: HostUsage, thresholds: AlertThresholds): Alert[] {
  const subject = `host ${host.instance}`;
  return [
    ...usageAlert(subject, 'cpu', host.cpuPercent, thresholds.cpu),
    ...usageAlert(subject, 'memory', host.memoryPercent, thresholds.memory),
    ...host.disks.flatMap((d) => usageAlert(`${subject} disk ${d.mountpoint}`, 'disk', d.percent, thresholds.disk)),
  ];
}

/** Every threshold crossed, containers first, critical before warning within each. */
export function evaluateAlerts(containers: readonly ContainerSnapshot[], hosts: readonly HostUsage[], thresholds: AlertThresholds): Alert[] {
  const rank = (a: Alert): number => (a.severity === 'critical' ? 0 : 1);
  const sorted = (alerts: Alert[]): Alert[] => alerts.sort((a, b) => rank(a) - rank(b));
  return [...sorted(containers.flatMap((c) => containerAlerts(c, thresholds))), ...sorted(hosts.flatMap((h) => hostAlerts(h, thresholds)))];
}
