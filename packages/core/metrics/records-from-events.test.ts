import { describe, expect, it } from 'vitest';
import { eventStamper, type EventFields, type EventType } from '../events/devops-event.ts';
import { mergeRecords } from './deployment-record.ts';
import { recordsFromEvents } from './records-from-events.ts';

const T0 = Date.UTC(2026, 0, 1);

/** One action run's events, a second apart from `start`. */
function run(action: string, operation: string, start: number, steps: [EventType, EventFields?][]) {
  let now = start;
  const strategy = action === 'deploy-canary' ? 'canary' : 'blue_green';
  const stamp = eventStamper(action, { app: 'shop', environment: 'production', strategy, commit: 'c1', operation }, () => (now += 1000));
  return steps.map(([type, fields]) => stamp(type, fields));
}

describe('records from the event bus', () => {
  it('makes one record per run with its outcome and times', () => {
    const events = [
      ...run('deploy-blue-green', 'a', T0, [
        ['deploy.started'],
        ['deploy.release_started', { release: 'r1' }],
        ['deploy.switched', { release: 'r1' }],
        ['deploy.succeeded', { release: 'r1' }],
      ]),
      ...run('deploy-blue-green', 'b', T0 + 60_000, [
        ['deploy.started'],
        ['deploy.release_started', { release: 'r2' }],
        ['deploy.switched', { release: 'r2' }],
        ['deploy.switched_back', { release: 'r1' }],
        ['deploy.failed'],
      ]),
      ...run('deploy-blue-green', 'c', T0 + 120_000, [['deploy.started'], ['deploy.failed', { message: 'no such image' }]]),
      ...run('rollback', 'd', T0 + 180_000, [['rollback.started'], ['rollback.succeeded', { release: 'r1' }]]),
      ...run('deploy-blue-green', 'e', T0 + 240_000, [['deploy.started'], ['deploy.unchanged', { release: 'r1' }]]),
      ...run('deploy-blue-green', 'f', T0 + 300_000, [['deploy.started'], ['deploy.release_started', { release: 'r3' }]]),
      ...run('health-check', 'g', T0, [['health_check.finished']]),
    ];
    const common = { app: 'shop', environment: 'production', strategy: 'blue_green', commit: 'c1' };
    const records = recordsFromEvents(events.reverse()).sort((x, y) => x.startedAt - y.startedAt);
    expect(records).toEqual([
      { ...common, id: 'a', kind: 'deploy', release: 'r1', startedAt: T0 + 1000, switchedAt: T0 + 3000, finishedAt: T0 + 4000, outcome: 'succeeded' },
      { ...common, id: 'b', kind: 'deploy', release: 'r2', startedAt: T0 + 61_000, switchedAt: T0 + 63_000, finishedAt: T0 + 64_000, outcome: 'switched_back' },
      { ...common, id: 'c', kind: 'deploy', startedAt: T0 + 121_000, finishedAt: T0 + 122_000, outcome: 'refused' },
      {
        ...common,
        id: 'd',
        kind: 'rollback',
        release: 'r1',
        startedAt: T0 + 181_000,
        switchedAt: T0 + 182_000,
        finishedAt: T0 + 182_000,
        outcome: 'succeeded',
      },
      { ...common, id: 'f', kind: 'deploy', release: 'r3', startedAt: T0 + 301_000, outcome: 'in_progress' },
    ]);
  });

  it('counts an aborted canary that took traffic as a change failure, restored when stable had all traffic', () => {
    const started = (release: string): [EventType, EventFields?][] => [
      ['canary.started'],
      ['deploy.release_started', { release }],
      ['deploy.healthy', { release }],
    ];
    const events = [
      ...run('deploy-canary', 'a', T0, [
        ...started('r2'),
        ['canary.step', { release: 'r2', weight: 10 }],
        ['canary.step', { release: 'r2', weight: 100 }],
        ['canary.promoted', { release: 'r2' }],
      ]),
      ...run('deploy-canary', 'b', T0 + 60_000, [
        ...started('r3'),
        ['canary.step', { release: 'r3', weight: 10 }],
        ['canary.aborted', { release: 'r3', weight: 10, message: 'errors' }],
      ]),
      ...run('deploy-canary', 'c', T0 + 120_000, [
        ['canary.started'],
        ['deploy.release_started', { release: 'r4' }],
        ['deploy.failed', { message: 'never healthy' }],
      ]),
      ...run('deploy-canary', 'd', T0 + 180_000, [
        ...started('r5'),
        ['canary.step', { release: 'r5', weight: 10 }],
        ['canary.paused', { release: 'r5', weight: 10 }],
      ]),
      ...run('deploy-canary', 'e', T0 + 240_000, [['canary.aborted', { release: 'r5', weight: 10 }]]),
      ...run('deploy-canary', 'f', T0 + 300_000, [['canary.promoted', { release: 'r6', weight: 100 }]]),
    ];
    const records = recordsFromEvents(events).sort((x, y) => x.startedAt - y.startedAt);
    expect(records.map((r) => [r.id, r.outcome, r.switchedAt, r.finishedAt])).toEqual([
      ['a', 'succeeded', T0 + 4000, T0 + 6000],
      ['b', 'switched_back', T0 + 64_000, T0 + 65_000],
      ['c', 'refused', undefined, T0 + 123_000],
      ['d', 'in_progress', T0 + 184_000, undefined],
      ['e', 'switched_back', undefined, T0 + 241_000],
      ['f', 'succeeded', T0 + 301_000, T0 + 301_000],
    ]);
    expect(records[1]).toMatchObject({ strategy: 'canary', release: 'r3' });
  });

  it('skips events written before runs had an operation id', () => {
    const stamp = eventStamper('deploy-blue-green', { environment: 'production' }, () => T0);
    expect(recordsFromEvents([stamp('deploy.started'), stamp('deploy.succeeded', { release: 'r1' })])).toEqual([]);
  });
});

describe('merging histories', () => {
  it('counts a run both recorded once, keeping what either knows', () => {
    const github = {
      id: 'a',
      environment: 'production',
      kind: 'deploy' as const,
      startedAt: 1000,
      finishedAt: 5000,
      committedAt: 10,
      outcome: 'succeeded' as const,
    };
    const redis = { id: 'a', environment: 'production', kind: 'deploy' as const, startedAt: 1234, finishedAt: 5678, outcome: 'succeeded' as const };
    const other = { ...redis, id: 'b' };
    expect(mergeRecords([github], [redis, other])).toEqual([{ ...redis, committedAt: 10 }, other]);
  });
});
