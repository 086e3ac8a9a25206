import { describe, expect, it } from 'vitest';
import type { DeploymentRecord } from './deployment-record.ts';
import { computeDoraMetrics, failureRateLevel, frequencyLevel, leadTimeLevel, restoreLevel } from './dora-metrics.ts';

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const JAN1 = Date.UTC(2026, 0, 1);
const WEEK = { since: JAN1, until: JAN1 + 7 * DAY };

let ids = 0;
function deploy(startedAt: number, outcome: DeploymentRecord['outcome'], more: Partial<DeploymentRecord> = {}): DeploymentRecord {
  const finishedAt = outcome === 'in_progress' ? undefined : startedAt + 10 * MIN;
  return { id: `op-${++ids}`, environment: 'production', kind: 'deploy', startedAt, finishedAt, outcome, ...more };
}

function rollback(startedAt: number, more: Partial<DeploymentRecord> = {}): DeploymentRecord {
  return deploy(startedAt, 'succeeded', { kind: 'rollback', finishedAt: startedAt + 3 * MIN, ...more });
}

/** Every number in the report, wherever it is. */
function numbers(value: unknown): number[] {
  if (typeof value === 'number') return [value];
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(numbers);
  return [];
}

describe('deployment frequency', () => {
  it('counts succeeded deploys in the window, per day and per UTC day with the empty days', () => {
    const window = { since: JAN1 + 6 * HOUR, until: JAN1 + 3 * DAY + 6 * HOUR };
    const report = computeDoraMetrics(
      [
        deploy(JAN1 + 3 * DAY + 5 * HOUR, 'succeeded'),
        deploy(JAN1 + 15 * HOUR, 'succeeded'),
        deploy(JAN1 + 10 * HOUR, 'succeeded'),
        deploy(JAN1 + DAY, 'refused'),
        deploy(JAN1 + 2 * DAY, 'in_progress'),
        rollback(JAN1 + 2 * DAY, { outcome: 'in_progress', finishedAt: undefined }),
        deploy(JAN1 + 5 * HOUR, 'succeeded'),
        deploy(JAN1 + 3 * DAY + 7 * HOUR, 'succeeded'),
      ],
      window,
    );
    expect(report.since).toBe('2026-01-01T06:00:00.000Z');
    expect(report.until).toBe('2026-01-04T06:00:00.000Z');
    expect(report.days).toBe(3);
    const production = report.environments[0]!;
    expect(production.deploymentFrequency).toEqual({
      count: 3,
      perDay: 1,
      level: 'elite',
      daily: [
        { day: '2026-01-01', count: 2 },
        { day: '2026-01-02', count: 0 },
        { day: '2026-01-03', count: 0 },
        { day: '2026-01-04', count: 1 },
      ],
    });
    expect([production.deploys, production.succeeded, production.refused, production.inProgress, production.rollbacks]).toEqual([4, 3, 1, 2, 0]);
  });

  it('includes the day of until when the window ends at midnight', () => {
    const daily = computeDoraMetrics([deploy(JAN1 + 2 * DAY, 'succeeded')], { since: JAN1, until: JAN1 + 2 * DAY }).all.deploymentFrequency.daily;
    expect(daily.map((d) => d.count)).toEqual([0, 0, 1]);
  });
});

describe('change failure rate and time to restore', () => {
  it('counts a switched-back deploy as a failure restored when it finished', () => {
    const report = computeDoraMetrics(
      [deploy(JAN1, 'succeeded'), deploy(JAN1 + DAY, 'switched_back', { switchedAt: JAN1 + DAY + 2 * MIN, finishedAt: JAN1 + DAY + 7 * MIN })],
      WEEK,
    );
    expect(report.all.changeFailureRate).toEqual({ failures: 1, reachedTraffic: 2, rate: 50, level: 'low' });
    expect(report.all.timeToRestore).toEqual({ count: 1, medianMs: 5 * MIN, p90Ms: 5 * MIN, maxMs: 5 * MIN, level: 'elite' });
    expect([report.all.deploys, report.all.succeeded, report.all.switchedBack]).toEqual([2, 1, 1]);
  });

  it('counts a rolled-back deploy, restored when the rollback finished', () => {
    const report = computeDoraMetrics([deploy(JAN1, 'succeeded', { switchedAt: JAN1 + 5 * MIN }), rollback(JAN1 + 2 * HOUR)], WEEK);
    expect(report.all.changeFailureRate).toEqual({ failures: 1, reachedTraffic: 1, rate: 100, level: 'low' });
    // switchedAt (0:05) to the rollback's finishedAt (2:03)
    expect(report.all.timeToRestore).toMatchObject({ count: 1, medianMs: 2 * HOUR - 2 * MIN, level: 'high' });
    expect(report.all.rollbacks).toBe(1);
  });

  it('measures from finishedAt when the deploy has no switchedAt', () => {
    const report = computeDoraMetrics([deploy(JAN1, 'succeeded'), rollback(JAN1 + HOUR)], WEEK);
    expect(report.all.timeToRestore.medianMs).toBe(HOUR - 10 * MIN + 3 * MIN);
  });

  it('blames a rollback on the latest succeeded deploy, once however many rollbacks follow', () => {
    const report = computeDoraMetrics(
      [deploy(JAN1, 'succeeded'), deploy(JAN1 + DAY, 'succeeded'), rollback(JAN1 + DAY + HOUR), rollback(JAN1 + DAY + 2 * HOUR)],
      WEEK,
    );
    expect(report.all.changeFailureRate).toEqual({ failures: 1, reachedTraffic: 2, rate: 50, level: 'low' });
    // the second deploy finished at +10m; the first rollback finished at +1h03m
    expect(report.all.timeToRestore).toMatchObject({ count: 1, medianMs: 53 * MIN });
    expect(report.all.rollbacks).toBe(2);
  });

  it('does not blame a rollback during a deploy, nor one of another app', () => {
    const report = computeDoraMetrics(
      [
        deploy(JAN1, 'succeeded', { app: 'web' }),
        deploy(JAN1 + HOUR, 'succeeded', { app: 'api' }),
        rollback(JAN1 + 2 * HOUR, { app: 'web' }),
        deploy(JAN1 + DAY, 'succeeded', { app: 'api' }),
        rollback(JAN1 + DAY + 5 * MIN, { app: 'api' }),
      ],
      WEEK,
    );
    // web's rollback lands on web's deploy; api's rollback started before its deploy finished
    expect(report.all.changeFailureRate).toMatchObject({ failures: 1, reachedTraffic: 3 });
    expect(report.all.timeToRestore.medianMs).toBe(2 * HOUR + 3 * MIN - 10 * MIN);
  });

  it('counts refused deploys apart, never as failures', () => {
    const report = computeDoraMetrics([deploy(JAN1, 'succeeded'), deploy(JAN1 + HOUR, 'refused'), deploy(JAN1 + 2 * HOUR, 'refused')], WEEK);
    expect(report.all.changeFailureRate).toEqual({ failures: 0, reachedTraffic: 1, rate: 0, level: 'elite' });
    expect(report.all.refused).toBe(2);
    expect(report.all.timeToRestore.medianMs).toBeNull();
  });

  it('ignores records that started outside the window, rollbacks included', () => {
    const report = computeDoraMetrics(
      [
        deploy(JAN1 - 1, 'switched_back', { switchedAt: JAN1, finishedAt: JAN1 + MIN }),
        deploy(JAN1 + 7 * DAY - HOUR, 'succeeded'),
        rollback(JAN1 + 7 * DAY + 1),
      ],
      WEEK,
    );
    expect(report.all.changeFailureRate).toEqual({ failures: 0, reachedTraffic: 1, rate: 0, level: 'elite' });
    expect([report.all.deploys, report.all.rollbacks]).toEqual([1, 0]);
  });
});

describe('lead time for changes', () => {
  it('is the median, p90 and max of finishedAt − committedAt over succeeded deploys', () => {
    const committed = (hours: number, startedAt: number) => ({ committedAt: startedAt + 10 * MIN - hours * HOUR });
    const report = computeDoraMetrics(
      [
        deploy(JAN1, 'succeeded', committed(3, JAN1)),
        deploy(JAN1 + DAY, 'succeeded', committed(1, JAN1 + DAY)),
        deploy(JAN1 + 2 * DAY, 'succeeded', committed(2, JAN1 + 2 * DAY)),
        deploy(JAN1 + 3 * DAY, 'succeeded'),
        deploy(JAN1 + 4 * DAY, 'refused', committed(50, JAN1 + 4 * DAY)),
      ],
      WEEK,
    );
    expect(report.all.leadTime).toEqual({ count: 3, medianMs: 2 * HOUR, p90Ms: 2.8 * HOUR, maxMs: 3 * HOUR, level: 'elite' });
  });
});

describe('performance levels', () => {
  it('changes level exactly at the DORA thresholds', () => {
    expect([1, 0.99, 1 / 7, 0.14, 1 / 30, 0.033].map(frequencyLevel)).toEqual(['elite', 'high', 'high', 'medium', 'medium', 'low']);
    expect([DAY - 1, DAY, 7 * DAY - 1, 7 * DAY, 30 * DAY - 1, 30 * DAY].map(leadTimeLevel)).toEqual(['elite', 'high', 'high', 'medium', 'medium', 'low']);
    expect([HOUR - 1, HOUR, DAY - 1, DAY, 7 * DAY - 1, 7 * DAY].map(restoreLevel)).toEqual(['elite', 'high', 'high', 'medium', 'medium', 'low']);
    expect([5, 5.01, 10, 10.01, 15, 15.01].map(failureRateLevel)).toEqual(['elite', 'high', 'high', 'medium', 'medium', 'low']);
  });

  it('rates one deploy a week as high and one a month as medium', () => {
    expect(computeDoraMetrics([deploy(JAN1, 'succeeded')], WEEK).all.deploymentFrequency.level).toBe('high');
    expect(computeDoraMetrics([deploy(JAN1, 'succeeded')], { since: JAN1, until: JAN1 + 30 * DAY }).all.deploymentFrequency.level).toBe('medium');
  });
});

describe('environments', () => {
  it('keeps environments apart, sorted by name, and adds them up in all', () => {
    const report = computeDoraMetrics(
      [
        deploy(JAN1, 'succeeded', { environment: 'staging', committedAt: JAN1 + 10 * MIN - HOUR }),
        deploy(JAN1 + HOUR, 'succeeded', { committedAt: JAN1 + HOUR + 10 * MIN - 3 * HOUR }),
        deploy(JAN1 + DAY, 'succeeded', { environment: 'staging' }),
        rollback(JAN1 + DAY + HOUR),
        deploy(JAN1 + 2 * DAY, 'switched_back', { environment: 'staging', switchedAt: JAN1 + 2 * DAY, finishedAt: JAN1 + 2 * DAY + 4 * MIN }),
      ],
      WEEK,
    );
    expect(report.environments.map((e) => e.environment)).toEqual(['production', 'staging']);
    const [production, staging] = report.environments;
    expect(production!.changeFailureRate).toEqual({ failures: 1, reachedTraffic: 1, rate: 100, level: 'low' });
    expect(staging!.changeFailureRate).toEqual({ failures: 1, reachedTraffic: 3, rate: (1 / 3) * 100, level: 'low' });
    expect(staging!.deploymentFrequency.daily.slice(0, 3).map((d) => d.count)).toEqual([1, 1, 0]);

    expect(report.all.environment).toBe('all');
    expect(report.all.changeFailureRate).toEqual({ failures: 2, reachedTraffic: 4, rate: 50, level: 'low' });
    expect(report.all.deploymentFrequency).toMatchObject({ count: 3, perDay: 3 / 7, level: 'high' });
    expect(report.all.deploymentFrequency.daily.slice(0, 3).map((d) => d.count)).toEqual([2, 1, 0]);
    expect(report.all.leadTime).toMatchObject({ count: 2, medianMs: 2 * HOUR, maxMs: 3 * HOUR });
    expect(report.all.timeToRestore).toMatchObject({ count: 2, medianMs: (4 * MIN + DAY - 7 * MIN) / 2 });
  });
});

describe('no data', () => {
  it('gives zeros and nulls, never NaN', () => {
    const report = computeDoraMetrics([], WEEK);
    expect(report.environments).toEqual([]);
    expect(report.all.changeFailureRate).toEqual({ failures: 0, reachedTraffic: 0, rate: null, level: null });
    expect(report.all.timeToRestore).toEqual({ count: 0, medianMs: null, p90Ms: null, maxMs: null, level: null });
    expect(report.all.leadTime).toEqual({ count: 0, medianMs: null, p90Ms: null, maxMs: null, level: null });
    expect(report.all.deploymentFrequency).toMatchObject({ count: 0, perDay: 0, level: 'low' });
    expect(report.all.deploymentFrequency.daily).toHaveLength(8);
    expect(numbers(report).every(Number.isFinite)).toBe(true);
  });

  it('refuses a window that does not run forward', () => {
    expect(() => computeDoraMetrics([], { since: JAN1, until: JAN1 })).toThrow('metrics window: until');
  });
});
