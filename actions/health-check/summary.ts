import type { HealthReport, TargetSummary } from '../../packages/core/health/index.ts';
import { formatMs, formatPercent } from '../../packages/core/health/percentiles.ts';
import type { SummaryDoc } from '../../packages/runtime/summary/summary-doc.ts';

const dash = '–';

/** A target's state in the last round: an earlier failure does not make it failing now. */
function status(target: TargetSummary): string {
  if (target.roundsTotal === 0) return '⚠️ not probed';
  return target.lastFailure?.round === target.roundsTotal ? '❌ failing' : '✅ healthy';
}

function row(target: TargetSummary): string[] {
  const latency = target.latency;
  return [
    target.target,
    status(target),
    target.successRate === null ? dash : formatPercent(target.successRate),
    latency ? formatMs(latency.p50) : dash,
    latency ? formatMs(latency.p95) : dash,
    latency ? formatMs(latency.p99) : dash,
    `${target.roundsHealthy}/${target.roundsTotal}`,
    target.lastFailure
      ? `round ${target.lastFailure.round}: ${target.lastFailure.criterion} ${target.lastFailure.observed} (needs ${target.lastFailure.threshold})`
      : '',
  ];
}

/** The job summary is the dashboard: verdict, one row a target, failures, latency across rounds. */
export function healthSummary(report: HealthReport): SummaryDoc {
  const verdict = report.healthy ? '✅ healthy' : '❌ unhealthy';
  const doc: SummaryDoc = [
    { kind: 'heading', text: `Health check: ${verdict}`, level: 2 },
    { kind: 'paragraph', text: report.message },
    {
      kind: 'table',
      header: ['target', 'status', 'success rate', 'p50', 'p95', 'p99', 'healthy rounds', 'last failure'],
      rows: report.targets.map(row),
    },
  ];
  if (report.lastFailures.length > 0) {
    doc.push({ kind: 'heading', text: 'Failures in the last failing round', level: 3 });
    doc.push({ kind: 'list', items: report.lastFailures.map((f) => f.message) });
  }
  const measured = report.rounds.filter((r) => r.latency !== null);
  if (measured.length > 1) {
    doc.push({
      kind: 'chart',
      title: 'Latency across rounds (all targets)',
      xLabel: 'round',
      yLabel: 'ms',
      x: measured.map((r) => String(r.index)),
      series: [
        { name: 'p50', values: measured.map((r) => r.latency!.p50) },
        { name: 'p95', values: measured.map((r) => r.latency!.p95) },
      ],
    });
  }
  return doc;
}
