import { describe, expect, it } from 'vitest';
import type { DevopsEvent, EventType } from '../events/devops-event.ts';
import { availabilityFrom } from './availability.ts';

const T0 = Date.parse('2025-03-01T00:00:00Z');
const HOUR = 3_600_000;

function event(type: EventType, hour: number, fields: Partial<DevopsEvent> = {}): DevopsEvent {
  return { version: 1, type, action: 'health-check', at: new Date(T0 + hour * HOUR).toISOString(), app: 'shop', environment: 'prod', ...fields };
}

describe('availability from the event bus', () => {
  it('counts an incident from the first failed check to the next passing one', () => {
    const events = [
      event('health_check.finished', 1, { outcome: 'passed' }),
      event('health_check.finished', 6, { outcome: 'failed', message: 'http://shop/health: status 503' }),
      event('health_check.finished', 7, { outcome: 'failed' }),
      event('health_check.finished', 8.4, { outcome: 'passed' }),
    ];
    const [shop] = availabilityFrom(events, { since: T0, until: T0 + 24 * HOUR });
    expect(shop).toEqual({
      service: 'shop/prod',
      availabilityPercent: 90,
      observations: 4,
      incidents: [
        {
          start: '2025-03-01T06:00:00.000Z',
          end: '2025-03-01T08:24:00.000Z',
          durationMs: 2.4 * HOUR,
          cause: 'health_check.finished: http://shop/health: status 503',
        },
      ],
    });
  });

  it('counts a switched-back release from when it took traffic, and an open incident to the end of the window', () => {
    const events = [
      event('deploy.switched', 2, { action: 'deploy-blue-green', operation: 'op1' }),
      event('deploy.switched_back', 2.5, { action: 'deploy-blue-green', operation: 'op1', message: 'error rate 12%' }),
      event('rollback.failed', 20, { action: 'rollback', app: 'api', message: 'no release to go back to' }),
    ];
    const result = availabilityFrom(events, { since: T0, until: T0 + 24 * HOUR });
    expect(result.map((s) => [s.service, s.availabilityPercent, s.incidents.map((i) => [i.start, i.end ?? 'ongoing', i.cause])])).toEqual([
      ['api/prod', 83.333, [['2025-03-01T20:00:00.000Z', 'ongoing', 'rollback.failed: no release to go back to']]],
      ['shop/prod', 97.917, [['2025-03-01T02:00:00.000Z', '2025-03-01T02:30:00.000Z', 'deploy.switched_back: error rate 12%']]],
    ]);
  });

  it('leaves out services with nothing that says up or down', () => {
    expect(availabilityFrom([event('image.built', 1)], { since: T0, until: T0 + HOUR * 24 })).toEqual([]);
  });
});
