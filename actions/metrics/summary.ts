import { formatPercent } from '../../packages/core/health/percentiles.ts';
import { formatDuration } from '../../packages/core/inputs/durations.ts';
import type { DoraLevel, DoraReport, DurationMetric, EnvironmentMetrics } from '../../packages/core/metrics/dora-metrics.ts';
import type { SummaryDoc } from '../../packages/runtime/summary/summary-doc.ts';

const dash = '–';
function withLevel(text: string, level: DoraLevel | null): string {
  return level === null ? text : `${text} · ${level}`;
}

/** Two significant digits below one a day (0.14/day), at most one decimal above (1/day, 2.5/day). */
function formatPerDay(perDay: number): string {
  return `${+(perDay >= 1 ? perDay.toFixed(1) : perDay.toPrecision(2))}/day`;
}

function median(metric: DurationMetric): string {
  return metric.medianMs === null ? dash : withLevel(formatDuration(metric.medianMs), metric.level);
}

function row(metrics: EnvironmentMetrics): string[] {
  const frequency = metrics.deploymentFrequency;
  const failures = metrics.changeFailureRate;
  return [
    metrics.environment,
    withLevel(`${frequency.count} (${formatPerDay(frequency.perDay)})`, frequency.level),
    failures.rate === null ? dash : withLevel(`${formatPercent(failures.rate)} (${failures.failures} of ${failures.reachedTraffic})`, failures.level),
    median(metrics.timeToRestore),
    median(metrics.leadTime),
  ];
}

function minute(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

/** The four DORA metrics a row per environment, deploys a day as a chart, and what each metric means. */
export function doraSummary(report: DoraReport): SummaryDoc {
  const doc: SummaryDoc = [
    { kind: 'heading', text: 'Deployment metrics (DORA)', level: 2 },
    {
      kind: 'paragraph',
      text: `From ${minute(report.since)} to ${minute(report.until)} UTC (${formatDuration(Date.parse(report.until) - Date.parse(report.since))}).`,
    },
    {
      kind: 'table',
      header: ['environment', 'deployment frequency', 'change failure rate', 'time to restore (median)', 'lead time (median)'],
      rows: [...report.environments, report.all].map(row),
    },
  ];
  if (report.environments.length > 0) {
    doc.push({
      kind: 'chart',
      title: 'Succeeded deploys per day',
      xLabel: 'day (UTC)',
      yLabel: 'deploys',
      x: report.all.deploymentFrequency.daily.map((d) => d.day),
      series: report.environments.map((e) => ({ name: e.environment, values: e.deploymentFrequency.daily.map((d) => d.count) })),
    });
  }
  doc.push({
    kind: 'list',
    items: [
      'Deployment frequency: succeeded deploys in the window, and per day.',
      'Change failure rate: deploys switched back or rolled back, of those that took traffic (refused deploys never did).',
      'Time to restore: from when a failed release took traffic to when a healthy release had it back.',
      'Lead time for changes: from the commit to the end of its succeeded deploy.',
    ],
  });
  return doc;
}
