import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBundle } from '../../../test/harness/run-bundle.ts';
import { blueGreenBed, buildImages, removeImages, type BlueGreenBed, type Variant } from '../../../test/support/blue-green-fixture.ts';
import { freePort } from '../../../test/support/local-servers.ts';
import { REDIS_URL } from '../../../test/support/services.ts';
import type { DevopsEvent } from '../../core/events/devops-event.ts';
import { runCommand } from '../process/run-command.ts';
import { eventChannel } from './event-encoding.ts';
import { closeConnection, type RedisConnection } from './redis-connection.ts';
import { recentEvents } from './redis-event-reader.ts';
import { connectedRedis as connect, startRedisServer, type RedisServerProcess } from './testing/redis-server.ts';

/** The events of a deploy, end to end: the committed bundles write them, the CLI reads them. */
const CLI = path.resolve(import.meta.dirname, '../../../dist/cli.js');
/** The deploy's own warnings (an image it cannot pull offline) are not the bus's. */
const busWarnings = (warnings: readonly string[]): string[] => warnings.filter((w) => w.startsWith('events:') || /redis/i.test(w));
const SUCCESSFUL_DEPLOY = ['deploy.started', 'deploy.release_started', 'deploy.healthy', 'deploy.switched', 'deploy.succeeded'];

/** Everything published on a channel from now on. */
async function listen(url: string, channel: string): Promise<{ heard: DevopsEvent[]; stop(): Promise<void> }> {
  const subscriber = await connect(url);
  const heard: DevopsEvent[] = [];
  subscriber.on('message', (_channel: string, message: string) => void heard.push(JSON.parse(message) as DevopsEvent));
  await subscriber.subscribe(channel);
  return { heard, stop: () => closeConnection(subscriber) };
}

let images: Record<Variant, string>;
let bed: BlueGreenBed;
let reader: RedisConnection;
beforeAll(async () => {
  images = await buildImages(`sidhe-itg-events-${process.pid}`, ['v1', 'v2']);
  bed = await blueGreenBed('haproxy', `events${process.pid}`);
  reader = await connect(REDIS_URL);
});
afterAll(async () => {
  await closeConnection(reader);
  await bed.cleanup();
  await removeImages(images);
});

describe('the event bus, through the committed bundles', () => {
  it('a blue-green deploy appends its steps to the stream in order and publishes each on the app channel', async () => {
    const channel = await listen(REDIS_URL, eventChannel(bed.app, bed.environment));
    const run = await bed.deploy(images.v1, { 'events-redis-url': REDIS_URL });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(busWarnings(run.warnings)).toEqual([]);

    const { events } = await recentEvents(reader, SUCCESSFUL_DEPLOY.length, { app: bed.app, environment: bed.environment });
    expect(events.map((e) => e.type)).toEqual(SUCCESSFUL_DEPLOY);
    for (const event of events) {
      expect(event).toMatchObject({ version: 1, action: 'deploy-blue-green', app: bed.app, environment: bed.environment, strategy: 'blue_green' });
      expect(event.runner).toMatch(/ pid \d+$/);
    }
    expect(events.at(-1)).toMatchObject({ release: run.outputs.release, colour: 'blue', image: images.v1 });
    expect(new Set(events.map((e) => e.operation)).size).toBe(1);
    expect(events.map((e) => Date.parse(e.at))).toEqual(events.map((e) => Date.parse(e.at)).sort());
    expect(channel.heard).toEqual(events);
    await channel.stop();
  });

  it('`sidhe-devops events` prints what the deploy wrote, and with --follow what comes next, until Ctrl-C', async () => {
    const scope = ['--redis-url', REDIS_URL, '--app', bed.app, '--environment', bed.environment];
    const printed = await runCommand(process.execPath, [CLI, 'events', ...scope, '--last', '5'], { timeoutMs: 20_000 });
    expect(printed.exitCode, printed.stderr).toBe(0);
    const lines = printed.stdout.trimEnd().split('\n');
    expect(lines.map((line) => line.split(/\s{2,}/)[2])).toEqual(SUCCESSFUL_DEPLOY);
    expect(lines[0]).toMatch(new RegExp(`^\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z  ${bed.app}/itg  deploy\\.started +image ${images.v1}$`));

    const follower = spawn(process.execPath, [CLI, 'events', '--follow', ...scope, '--last', '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    follower.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => follower.on('exit', (code) => resolve(code)));
    const printedSoon = async (text: string): Promise<void> => {
      const deadline = Date.now() + 10_000;
      while (!out.includes(text) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    };
    await printedSoon('deploy.succeeded');
    const next = await bed.deploy(images.v2, { 'events-redis-url': REDIS_URL });
    expect(next.exitCode, next.stdout).toBe(0);
    const back = await bed.rollback({ 'events-redis-url': REDIS_URL });
    expect(back.exitCode, back.stdout).toBe(0);
    await printedSoon('rollback.succeeded');
    follower.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(
      out
        .trimEnd()
        .split('\n')
        .map((line) => line.split(/\s{2,}/)[2]),
    ).toEqual(['deploy.succeeded', ...SUCCESSFUL_DEPLOY, 'rollback.started', 'rollback.succeeded']);
    expect(await bed.version()).toBe('1.0.0');
  });

  it('a Redis on a closed port costs one warning, with the password masked, and the deploy succeeds', async () => {
    const port = await freePort();
    const run = await bed.deploy(images.v2, { 'events-redis-url': `redis://:s3cret-pw@127.0.0.1:${port}` });
    expect(run.exitCode, run.stdout).toBe(0);
    const warnings = busWarnings(run.warnings);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(new RegExp(`^events: Redis at redis://:\\*\\*\\*@127\\.0\\.0\\.1:${port} is unreachable \\(connect ECONNREFUSED`));
    // The runner is told to mask the password, and nothing else prints it.
    expect(run.stdout).toContain('::add-mask::s3cret-pw\n');
    const printed = run.stdout.split('\n').filter((line) => !line.startsWith('::add-mask::'));
    expect(printed.join('\n')).not.toContain('s3cret-pw');
    expect(await bed.version()).toBe('2.0.0');
  });

  it('health-check reports health_check.finished on sidhe:devops:_', async () => {
    const channel = await listen(REDIS_URL, eventChannel(undefined, undefined));
    const run = await runBundle('health-check', {
      targets: `${bed.frontUrl}/health`,
      'required-successes': '1',
      interval: '1s',
      timeout: '20s',
      'events-redis-url': REDIS_URL,
    });
    expect(run.exitCode, run.stdout).toBe(0);
    const finished = channel.heard.filter((e) => e.action === 'health-check');
    expect(finished.map((e) => e.type)).toEqual(['health_check.finished']);
    expect(finished[0]!.app).toBeUndefined();
    expect(finished[0]!.outcome).toBe('passed');
    expect(run.stdout).toContain(finished[0]!.message);
    await channel.stop();
  });

  it('quality-gate reports quality_gate.finished with its outcome', async () => {
    const channel = await listen(REDIS_URL, eventChannel(undefined, undefined));
    const workspace = mkdtempSync(path.join(os.tmpdir(), 'sidhe-events-qg-'));
    cpSync(path.resolve(import.meta.dirname, '../../../test/fixtures/reports/junit/vitest.xml'), path.join(workspace, 'vitest.xml'));
    const run = await runBundle('quality-gate', { junit: 'vitest.xml', environment: 'staging', 'events-redis-url': REDIS_URL }, { workspace });
    expect(run.exitCode).toBe(1);
    const finished = channel.heard.filter((e) => e.action === 'quality-gate');
    expect(finished).toMatchObject([
      { type: 'quality_gate.finished', environment: 'staging', outcome: 'failed', message: '1 of 1 gates failed: max-failed-tests 3 (threshold 0)' },
    ]);
    await channel.stop();
  });

  describe('when Redis restarts in the middle of a deploy', () => {
    let redis: RedisServerProcess;
    beforeAll(async () => {
      redis = await startRedisServer();
    });
    afterAll(() => redis.remove());

    it('the deploy succeeds, warns once, and the events after the restart are delivered', async () => {
      // deploy.healthy is published just before the deploy logs `switching traffic`: stop Redis then.
      const channel = await listen(redis.url, eventChannel(bed.app, bed.environment));
      let restarted: Promise<void> | undefined;
      const watch = setInterval(() => {
        if (restarted || !channel.heard.some((e) => e.type === 'deploy.healthy')) return;
        restarted = (async () => {
          await redis.stop();
          await new Promise((resolve) => setTimeout(resolve, 1_000));
          await redis.start();
        })();
      }, 10);
      const run = await bed.deploy(images.v1, { 'events-redis-url': redis.url, 'switch-delay': '6s' });
      clearInterval(watch);
      await channel.stop();
      expect(restarted, 'Redis was never stopped').toBeDefined();
      await restarted;

      expect(run.exitCode, run.stdout).toBe(0);
      const warnings = busWarnings(run.warnings);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(new RegExp(`^events: Redis at ${redis.url} is unreachable`));
      expect(run.stdout).toContain(`events: Redis at ${redis.url} is reachable again; delivering events`);
      expect(run.stdout.indexOf('switching traffic')).toBeLessThan(run.stdout.indexOf('is reachable again'));
      const after = await connect(redis.url);
      const { events } = await recentEvents(after, 10, {});
      await closeConnection(after);
      // No persistence: the restarted Redis holds only what came after it was back.
      expect(events.map((e) => e.type)).toEqual(['deploy.succeeded']);
      expect(events[0]).toMatchObject({ release: run.outputs.release, app: bed.app });
    });
  });
});
