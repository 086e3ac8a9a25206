import { describe, expect, it } from 'vitest';
import { eventStamper } from '../../core/events/devops-event.ts';
import { EVENTS_STREAM, STREAM_MAX_LENGTH, decodeEvent, eventChannel, streamFields } from './event-encoding.ts';

const stamp = eventStamper('deploy-blue-green', { app: 'shop', environment: 'production', runner: 'acme/shop run 7 attempt 1' }, () =>
  Date.UTC(2026, 4, 1, 12),
);

describe('event encoding', () => {
  it('names the stream and bounds it', () => {
    expect(EVENTS_STREAM).toBe('sidhe:devops:events');
    expect(STREAM_MAX_LENGTH).toBe(10_000);
  });

  it('publishes on sidhe:devops:<app>:<environment>, and on sidhe:devops:_ without an app', () => {
    expect(eventChannel('shop', 'production')).toBe('sidhe:devops:shop:production');
    expect(eventChannel(undefined, undefined)).toBe('sidhe:devops:_');
    expect(eventChannel(undefined, 'production')).toBe('sidhe:devops:_');
    expect(eventChannel('shop', undefined)).toBe('sidhe:devops:shop:_');
  });

  it('writes the whole event as JSON next to the fields readers filter on', () => {
    const event = stamp('deploy.switched', { release: 'r20260501120000-0123456789ab', colour: 'green' });
    const fields = streamFields(event);
    expect(fields).toEqual({ version: '1', type: 'deploy.switched', app: 'shop', environment: 'production', event: JSON.stringify(event) });
    expect(JSON.parse(fields.event!)).toEqual({
      version: 1,
      type: 'deploy.switched',
      action: 'deploy-blue-green',
      at: '2026-05-01T12:00:00.000Z',
      app: 'shop',
      environment: 'production',
      runner: 'acme/shop run 7 attempt 1',
      release: 'r20260501120000-0123456789ab',
      colour: 'green',
    });
    expect(decodeEvent(fields.event)).toEqual(event);
  });

  it('leaves out app and environment when the event has none', () => {
    const event = eventStamper('health-check', {}, () => 0)('health_check.finished', { message: 'healthy' });
    expect(Object.keys(streamFields(event))).toEqual(['version', 'type', 'event']);
  });

  it('skips what is not an event, and keeps event types it does not know', () => {
    expect(decodeEvent(undefined)).toBeUndefined();
    expect(decodeEvent('not json')).toBeUndefined();
    expect(decodeEvent('"a string"')).toBeUndefined();
    expect(decodeEvent('{"type":"deploy.started"}')).toBeUndefined();
    const future = { version: 2, type: 'canary.step', action: 'deploy-canary', at: '2026-05-01T12:00:00.000Z' };
    expect(decodeEvent(JSON.stringify(future))).toEqual(future);
  });
});
