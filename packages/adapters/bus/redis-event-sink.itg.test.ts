import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../test/support/local-servers.ts';
import { REDIS_URL } from '../../../test/support/services.ts';
import { eventStamper, type DevopsEvent } from '../../core/events/devops-event.ts';
import type { Logger } from '../../core/logger.ts';
import { EVENTS_STREAM, STREAM_MAX_LENGTH, eventChannel } from './event-encoding.ts';
import { eventsAfter, recentEvents, streamEntries } from './redis-event-reader.ts';
import { RedisEventSink } from './redis-event-sink.ts';
import { closeConnection, type RedisConnection } from './redis-connection.ts';
import { connectedRedis as client, startRedisServer, type RedisServerProcess } from './testing/redis-server.ts';

function recordingLogger() {
  const lines = { warning: [] as string[], info: [] as string[] };
  const logger: Logger = { debug() {}, info: (m) => void lines.info.push(m), warning: (m) => void lines.warning.push(m), error() {} };
  return { logger, lines };
}

const app = `sink${process.pid}`;
const stamp = eventStamper('deploy-blue-green', { app, environment: 'itg', runner: 'itg' }, Date.now);
const until = async (check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

describe('RedisEventSink on a real redis-server', () => {
  let reader: RedisConnection;
  beforeAll(async () => {
    reader = await client(REDIS_URL);
  });
  afterAll(() => closeConnection(reader));

  it('appends every event to the stream and publishes it on the app channel, in order', async () => {
    const subscriber = await client(REDIS_URL);
    const heard: DevopsEvent[] = [];
    subscriber.on('message', (_channel: string, message: string) => void heard.push(JSON.parse(message) as DevopsEvent));
    await subscriber.subscribe(eventChannel(app, 'itg'));
    const { logger, lines } = recordingLogger();
    const sink = new RedisEventSink({ url: REDIS_URL, logger });
    const sent = [stamp('deploy.started'), stamp('deploy.release_started', { release: 'r1', colour: 'blue' }), stamp('deploy.succeeded', { release: 'r1' })];
    for (const event of sent) await sink.emit(event);
    await sink.close();

    const { events, lastId } = await recentEvents(reader, 3, { app, environment: 'itg' });
    expect(events).toEqual(sent);
    const [entry] = streamEntries(await reader.xrange(EVENTS_STREAM, lastId, lastId));
    expect(entry!.message).toMatchObject({ version: '1', type: 'deploy.succeeded', app, environment: 'itg' });
    await until(() => heard.length === 3);
    expect(heard).toEqual(sent);
    expect(lines.warning).toEqual([]);
    await closeConnection(subscriber);
  });

  it('reads only the events of the filter, and waits for new ones after an id', async () => {
    const sink = new RedisEventSink({ url: REDIS_URL, logger: recordingLogger().logger });
    const other = eventStamper('rollback', { app: `${app}x`, environment: 'itg' }, Date.now);
    const { lastId } = await recentEvents(reader, 0, {});
    const waiting = eventsAfter(reader, lastId, { app }, 5_000);
    await sink.emit(stamp('rollback.started'));
    expect((await waiting).events.map((e) => e.type)).toEqual(['rollback.started']);
    await sink.emit(other('rollback.succeeded'));
    await sink.emit(stamp('rollback.succeeded'));
    await sink.close();
    const after = await eventsAfter(reader, lastId, { app }, 100);
    expect(after.events.map((e) => [e.app, e.type])).toEqual([
      [app, 'rollback.started'],
      [app, 'rollback.succeeded'],
    ]);
    expect((await recentEvents(reader, 1, { app: `${app}x` })).events.map((e) => e.type)).toEqual(['rollback.succeeded']);
  });

  it('carries on without Redis: emits return at once, one warning with the password masked', async () => {
    const port = await freePort();
    const { logger, lines } = recordingLogger();
    const sink = new RedisEventSink({ url: `redis://:s3cret@127.0.0.1:${port}`, logger });
    const started = Date.now();
    for (let i = 0; i < 5; i++) await sink.emit(stamp('deploy.started'));
    await sink.close();
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(lines.warning).toHaveLength(1);
    expect(lines.warning[0]).toContain(`Redis at redis://:***@127.0.0.1:${port} is unreachable (connect ECONNREFUSED`);
    expect(lines.warning[0]).toContain('events are dropped until Redis is back');
    expect(lines.info).toEqual([`events: 5 event(s) were not delivered to Redis at redis://:***@127.0.0.1:${port}`]);
    expect(JSON.stringify(lines)).not.toContain('s3cret');
  });

  describe('through a restart of Redis', () => {
    let server: RedisServerProcess;
    beforeAll(async () => {
      server = await startRedisServer();
    });
    afterAll(() => server.remove());

    it('warns once, drops events while Redis is down, and delivers again once it is back', async () => {
      const { logger, lines } = recordingLogger();
      const sink = new RedisEventSink({ url: server.url, logger, retryIntervalMs: 200 });
      await sink.emit(stamp('deploy.started'));
      await server.stop();
      await until(() => lines.warning.length === 1);
      await sink.emit(stamp('deploy.switched'));
      await server.start();
      await until(() => lines.info.length === 1);
      await sink.emit(stamp('deploy.succeeded'));
      await server.stop();
      await server.start();
      await until(() => lines.info.length === 2);
      await sink.emit(stamp('deploy.unchanged'));
      await sink.close();

      expect(lines.warning).toHaveLength(1);
      expect(lines.warning[0]).toMatch(new RegExp(`^events: Redis at ${server.url} is unreachable \\(connection lost\\)`));
      expect(lines.info).toEqual([
        `events: Redis at ${server.url} is reachable again; delivering events`,
        `events: Redis at ${server.url} is reachable again; delivering events`,
        `events: 1 event(s) were not delivered to Redis at ${server.url}`,
      ]);
      // No persistence: what was written before the last restart is gone, what came after is there.
      const after = await client(server.url);
      expect((await recentEvents(after, 10, {})).events.map((e) => e.type)).toEqual(['deploy.unchanged']);
      await closeConnection(after);
    });

    it('keeps the stream bounded', async () => {
      const sink = new RedisEventSink({ url: server.url, logger: recordingLogger().logger });
      const total = STREAM_MAX_LENGTH + 1_500;
      for (let i = 0; i < total; i++) await sink.emit(stamp('deploy.healthy', { message: `event ${i}` }));
      await sink.close();
      const check = await client(server.url);
      const length = await check.xlen(EVENTS_STREAM);
      expect(length).toBeGreaterThanOrEqual(STREAM_MAX_LENGTH);
      expect(length).toBeLessThanOrEqual(STREAM_MAX_LENGTH + 100);
      const newest = await recentEvents(check, 1, {});
      expect(newest.events[0]!.message).toBe(`event ${total - 1}`);
      await closeConnection(check);
    });
  });

  it('lets a process that used it exit on its own, with Redis up and down', async () => {
    const { runCommand } = await import('../process/run-command.ts');
    const script = `
      import { RedisEventSink } from ${JSON.stringify(new URL('./redis-event-sink.ts', import.meta.url).pathname)};
      const logger = { debug() {}, info() {}, warning() {}, error() {} };
      for (const url of process.argv.slice(1)) {
        const sink = new RedisEventSink({ url, logger });
        await sink.emit({ version: 1, type: 'deploy.started', action: 'itg', at: new Date().toISOString() });
        await sink.close();
      }`;
    const started = Date.now();
    const run = await runCommand(process.execPath, ['--input-type=module', '-e', script, REDIS_URL, `redis://127.0.0.1:${await freePort()}`], {
      timeoutMs: 20_000,
    });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
