import { describe, expect, it } from 'vitest';
import { eventStamper } from '../packages/core/events/devops-event.ts';
import { formatEvent, parseEventsArgs } from './events-command.ts';

const stamp = eventStamper('deploy-blue-green', { app: 'shop', environment: 'production', runner: 'ci' }, () => Date.UTC(2026, 4, 1, 12));

describe('sidhe-devops events', () => {
  it('reads its flags in both spellings', () => {
    expect(parseEventsArgs(['--follow', '--redis-url', 'redis://127.0.0.1:16379', '--app=shop', '--environment', 'production', '--last', '5'])).toEqual({
      follow: true,
      redisUrl: 'redis://127.0.0.1:16379',
      config: '',
      last: 5,
      filter: { app: 'shop', environment: 'production' },
    });
    expect(parseEventsArgs(['-f'])).toMatchObject({ follow: true, last: 20, filter: {} });
    expect(parseEventsArgs(['--help'])).toBeUndefined();
  });

  it('refuses what it does not know, and a bad URL without its password', () => {
    expect(() => parseEventsArgs(['--tail'])).toThrow(/^events: unexpected argument "--tail"\nusage: sidhe-devops events/);
    expect(() => parseEventsArgs(['--last'])).toThrow('events: --last needs a value');
    expect(() => parseEventsArgs(['--last', '-1'])).toThrow(/--last/);
    expect(() => parseEventsArgs(['--redis-url', 'http://:pw@h'])).toThrow('--redis-url: "http://:***@h" is not valid');
  });

  it('prints one readable line an event', () => {
    expect(formatEvent(stamp('deploy.switched', { release: 'r41', colour: 'green' }))).toBe(
      '2026-05-01T12:00:00.000Z  shop/production  deploy.switched         release r41 (green)',
    );
    expect(
      formatEvent(stamp('deploy.succeeded', { release: 'r41', colour: 'green', image: 'ghcr.io/acme/shop:1.4.2', previousRelease: 'r40', durationMs: 5321 })),
    ).toBe('2026-05-01T12:00:00.000Z  shop/production  deploy.succeeded        release r41 (green), image ghcr.io/acme/shop:1.4.2, after r40, in 5321 ms');
    expect(formatEvent(stamp('deploy.failed', { message: 'release r42 did not become healthy\nwithin 30s' }))).toBe(
      '2026-05-01T12:00:00.000Z  shop/production  deploy.failed           release r42 did not become healthy within 30s',
    );
    const health = eventStamper('health-check', {}, () => 0)('health_check.finished', { message: 'all 2 targets healthy', durationMs: 12 });
    expect(formatEvent(health)).toBe('1970-01-01T00:00:00.000Z  -  health_check.finished   in 12 ms — all 2 targets healthy');
  });

  it('prints no terminal escape from any field of an event', () => {
    const hostile = eventStamper(
      'deploy-blue-green',
      { app: 'shop\x1b]0;owned\x07', environment: 'prod\x1b[2J', runner: 'ci' },
      () => 0,
    )('deploy.failed', {
      release: 'r1\x1b[1A\x1b[2K',
      image: 'img\x1b]8;;https://evil.example\x1b\\x\x1b]8;;\x1b\\',
      message: 'bad\r\x1b[32mdeploy.succeeded\x9b0m',
    });
    const line = formatEvent(hostile);
    expect(line).toBe('1970-01-01T00:00:00.000Z  shop/prod  deploy.failed           release r1, image imgx — bad deploy.succeeded');
    expect(line).not.toMatch(/[\x00-\x1f\x7f-\x9f]/);
  });
});
