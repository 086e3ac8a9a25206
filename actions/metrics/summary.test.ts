import { describe, expect, it } from 'vitest';
import type { DeploymentRecord } from '../../packages/core/metrics/deployment-record.ts';
import { computeDoraMetrics } from '../../packages/core/metrics/dora-metrics.ts';
import { doraSummary } from './summary.ts';

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const JAN1 = Date.UTC(2026, 0, 1);

function record(id: string, environment: string, kind: DeploymentRecord['kind'], startedAt: number, more: Partial<DeploymentRecord> = {}): DeploymentRecord {
  return { id, environment, kind, startedAt, finishedAt: startedAt + 10 * MIN, outcome: 'succeeded', ...more };
}

const report = computeDoraMetrics(
  [
    record('1', 'production', 'deploy', JAN1 + HOUR, { committedAt: JAN1 - 2 * DAY }),
    record('2', 'production', 'deploy', JAN1 + DAY, { committedAt: JAN1 + DAY - 2 * HOUR }),
    record('3', 'production', 'rollback', JAN1 + DAY + HOUR, { finishedAt: JAN1 + DAY + HOUR + 20 * MIN }),
    record('4', 'staging', 'deploy', JAN1 + 2 * HOUR),
    record('5', 'staging', 'deploy', JAN1 + 3 * HOUR, { outcome: 'refused' }),
  ],
  { since: JAN1, until: JAN1 + 3 * DAY },
);

describe('DORA job summary', () => {
  const doc = doraSummary(report);

  it('names the window and gives a row per environment and one for all', () => {
    // lead times 2d1h10m and 2h10m: the median is 1d1h40m
    expect(doc[0]).toEqual({ kind: 'heading', text: 'Deployment metrics (DORA)', level: 2 });
    expect(doc[1]).toEqual({ kind: 'paragraph', text: 'From 2026-01-01 00:00 to 2026-01-04 00:00 UTC (3d).' });
    const table = doc.find((b) => b.kind === 'table');
    expect(table?.kind === 'table' && table.rows).toEqual([
      ['production', '2 (0.67/day) · high', '50% (1 of 2) · low', '1h10m · high', '1d2h · high'],
      ['staging', '1 (0.33/day) · high', '0% (0 of 1) · elite', '–', '–'],
      ['all', '3 (1/day) · elite', '33.33% (1 of 3) · low', '1h10m · high', '1d2h · high'],
    ]);
  });

  it('charts succeeded deploys a day, a line per environment', () => {
    const chart = doc.find((b) => b.kind === 'chart');
    expect(chart).toMatchObject({
      x: ['2026-01-01', '2026-01-02', '2026-01-03', '2026-01-04'],
      series: [
        { name: 'production', values: [1, 1, 0, 0] },
        { name: 'staging', values: [1, 0, 0, 0] },
      ],
    });
  });

  it('leaves the chart out when nothing happened', () => {
    const empty = doraSummary(computeDoraMetrics([], { since: JAN1, until: JAN1 + DAY }));
    expect(empty.some((b) => b.kind === 'chart')).toBe(false);
    expect(empty.find((b) => b.kind === 'table')).toMatchObject({ rows: [['all', '0 (0/day) · low', '–', '–', '–']] });
  });
});
