import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { DOCKER_HOST } from '../../../test/support/services.ts';
import { createEnvironmentLock } from '../../core/deploy/environment-lock.ts';
import { ActionFailure } from '../../core/errors.ts';
import { systemClock } from '../probes/system-clock.ts';
import { runCommand } from '../process/run-command.ts';
import { DockerCli } from './docker-cli.ts';
import { dockerLock, DockerLockStore, LOCK_IMAGE, lockName } from './docker-lock.ts';

const env = { ...process.env, DOCKER_HOST };
const cli = new DockerCli({ env });
const app = `lock${process.pid}x${Date.now().toString(36)}`;
const environments: string[] = [];

/** A fresh environment per test, so no test sees another's lock. */
function environment(name: string): string {
  environments.push(name);
  return name;
}

async function docker(...args: string[]): Promise<string> {
  const result = await runCommand('docker', args, { env, timeoutMs: 30_000 });
  if (result.exitCode !== 0) throw new Error(`docker ${args.join(' ')}: ${result.stderr}`);
  return result.stdout.trim();
}

/** Names of the lock's containers: the lock itself and its renewals. */
async function lockContainers(environment: string): Promise<string[]> {
  const out = await docker('ps', '--all', '--filter', `label=dev.sidhe.lock=${lockName(app, environment)}`, '--format', '{{.Names}}');
  return out.split('\n').filter(Boolean).sort();
}

async function holderOf(environment: string): Promise<string> {
  return docker('inspect', '--format', '{{index .Config.Labels "dev.sidhe.lock.owner"}}', lockName(app, environment));
}

/** A lock that renews only when told (no heartbeat), standing for a run that stops refreshing. */
function quietLock(environment: string) {
  return createEnvironmentLock(new DockerLockStore(cli, lockName(app, environment)), systemClock);
}

function recordingLogger() {
  const warnings: string[] = [];
  return { warnings, logger: { debug() {}, info() {}, warning: (m: string) => warnings.push(m), error() {} } };
}

/**
 * A separate node process that takes the lock through the adapter, as the CLI would (its owner from the
 * runtime: `user@host pid N`), says so, and then idles until it is killed.
 */
async function holdInChild(environment: string) {
  const url = (path: string) => JSON.stringify(new URL(path, import.meta.url).href);
  const script = `
    import { DockerCli } from ${url('./docker-cli.ts')};
    import { dockerLock } from ${url('./docker-lock.ts')};
    import { runContextFrom } from ${url('../../runtime/run-context.ts')};
    const owner = runContextFrom({}).runner;
    await dockerLock(new DockerCli(), ${JSON.stringify(app)}, ${JSON.stringify(environment)}).acquire({ owner, timeoutMs: 10_000 });
    process.stdout.write('locked ' + owner + '\\n');
    setInterval(() => {}, 60_000);
  `;
  const child = spawn(process.execPath, ['--input-type=module', '--eval', script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, 'exit');
  for (const started = Date.now(); !stdout.includes('\n'); await sleep(50)) {
    if (child.exitCode !== null || Date.now() - started > 30_000) throw new Error(`the child did not take the lock: ${stderr}`);
  }
  return { child, exited, owner: stdout.trim().replace(/^locked /, '') };
}

afterAll(async () => {
  for (const name of environments) {
    const ids = (await docker('ps', '--all', '--quiet', '--filter', `label=dev.sidhe.lock=${lockName(app, name)}`)).split('\n').filter(Boolean);
    if (ids.length > 0) await docker('rm', '--force', ...ids);
  }
});

describe('the environment lock on a real engine', () => {
  it('lets exactly one of two concurrent runs in; the other gets it after release', async () => {
    const name = environment('race');
    const [a, b] = [dockerLock(cli, app, name), dockerLock(cli, app, name)];
    const order: string[] = [];
    const options = { timeoutMs: 20_000, pollMs: 100 };
    const gotA = a.acquire({ owner: 'run A', ...options }).then(() => order.push('A'));
    const gotB = b.acquire({ owner: 'run B', ...options }).then(() => order.push('B'));
    await Promise.race([gotA, gotB]);
    await sleep(500);
    expect(order).toHaveLength(1);
    const [winner, loser] = order[0] === 'A' ? [a, b] : [b, a];
    expect(await holderOf(name)).toBe(`run ${order[0]}`);
    expect(await docker('image', 'inspect', '--format', '{{.Size}}', LOCK_IMAGE)).toBe('0');

    await winner.release();
    await Promise.all([gotA, gotB]);
    expect(order).toHaveLength(2);
    expect(await holderOf(name)).toBe(`run ${order[1]}`);
    await loser.release();
    expect(await lockContainers(name)).toEqual([]);
  });

  it('queues four runs that start together, never two at once', async () => {
    const name = environment('queue');
    let inside = 0;
    let most = 0;
    const run = async (owner: string) => {
      const lock = dockerLock(cli, app, name);
      await lock.acquire({ owner, timeoutMs: 30_000, pollMs: 50 });
      most = Math.max(most, ++inside);
      await sleep(100);
      inside--;
      await lock.release();
    };
    await Promise.all(['run 1', 'run 2', 'run 3', 'run 4'].map(run));
    expect(most).toBe(1);
    expect(await lockContainers(name)).toEqual([]);
  });

  it('fails after the timeout naming the holder and since when', async () => {
    const name = environment('busy');
    const holder = dockerLock(cli, app, name);
    await holder.acquire({ owner: 'run 41', timeoutMs: 0 });
    const started = Date.now();
    const error = await dockerLock(cli, app, name)
      .acquire({ owner: 'run 42', timeoutMs: 600, pollMs: 100 })
      .catch((e: unknown) => e);
    expect(Date.now() - started).toBeGreaterThanOrEqual(600);
    expect(error).toBeInstanceOf(ActionFailure);
    expect((error as Error).message).toMatch(
      new RegExp(
        `^lock sidhe-${app}\\.busy-lock on the Docker engine at ${DOCKER_HOST} is held by run 41 since \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z ` +
          `\\(expires [\\dT:.Z-]+\\); gave up waiting after 600ms`,
      ),
    );
    expect(await holderOf(name)).toBe('run 41');
    await holder.release();
  });

  it('takes over a lock whose lease ran out; the old holder then neither refreshes nor releases it', async () => {
    const name = environment('stale');
    const killed = quietLock(name);
    await killed.acquire({ owner: 'killed run', timeoutMs: 0, ttlMs: 300 });
    const next = dockerLock(cli, app, name);
    await next.acquire({ owner: 'next run', timeoutMs: 10_000, pollMs: 100 });
    expect(await holderOf(name)).toBe('next run');
    await expect(killed.refresh()).rejects.toThrow(/our lease ran out/);
    await killed.release();
    expect(await holderOf(name)).toBe('next run');
    await next.release();
  });

  it("refresh() keeps a slow holder's lock past its first expiry, with one renewal container", async () => {
    const name = environment('slow');
    const holder = quietLock(name);
    await holder.acquire({ owner: 'slow run', timeoutMs: 0, ttlMs: 1_500 });
    await holder.refresh();
    await sleep(700);
    await holder.refresh();
    await sleep(1_000); // past the first expiry, within the refreshed one
    await expect(dockerLock(cli, app, name).acquire({ owner: 'eager run', timeoutMs: 0 })).rejects.toThrow(/held by slow run/);
    const containers = await lockContainers(name);
    expect(containers).toHaveLength(2);
    expect(containers[0]).toBe(lockName(app, name));
    expect(containers[1]).toMatch(new RegExp(`^${lockName(app, name).replaceAll('.', '\\.')}\\.[0-9a-f]{12}\\.\\d+$`));

    await holder.release();
    expect(await lockContainers(name)).toEqual([]);
  });

  it('renews its own lease while held, so a short lease outlives its ttl; release stops it and leaves nothing', async () => {
    const name = environment('heartbeat');
    const holder = dockerLock(cli, app, name);
    await holder.acquire({ owner: 'busy run', timeoutMs: 0, ttlMs: 1_500 });
    await sleep(3_500);
    await expect(dockerLock(cli, app, name).acquire({ owner: 'eager run', timeoutMs: 0 })).rejects.toThrow(/held by busy run/);
    await holder.release();
    await sleep(1_000);
    expect(await lockContainers(name)).toEqual([]);
  });

  it('takes over at once the lock of a process killed with SIGKILL on this host', async () => {
    const name = environment('killed');
    const { child, exited, owner } = await holdInChild(name);
    expect(owner).toMatch(new RegExp(` pid ${child.pid}$`));
    expect(await holderOf(name)).toBe(owner);
    child.kill('SIGKILL');
    await exited;

    const { warnings, logger } = recordingLogger();
    const next = dockerLock(cli, app, name, logger);
    const started = Date.now();
    await next.acquire({ owner: 'next run', timeoutMs: 0 }); // its lease has ~60 s left: only the takeover lets us in
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await holderOf(name)).toBe('next run');
    expect(warnings).toEqual([expect.stringContaining(`taking over from ${owner} since `)]);
    expect(warnings[0]).toMatch(new RegExp(`: its process ${child.pid} no longer runs on this host$`));
    await next.release();
    expect(await lockContainers(name)).toEqual([]);
  });

  it('waits for a live process on this host; a re-run takes over at once from the earlier attempt', async () => {
    const name = environment('rerun');
    const { child, exited, owner } = await holdInChild(name);
    await expect(dockerLock(cli, app, name).acquire({ owner: 'eager run', timeoutMs: 0 })).rejects.toThrow(`held by ${owner}`);
    child.kill('SIGKILL');
    await exited;

    const first = dockerLock(cli, app, name);
    await first.acquire({ owner: 'acme/shop run 7 attempt 1', timeoutMs: 0 });
    const second = dockerLock(cli, app, name);
    await second.acquire({ owner: 'acme/shop run 7 attempt 2', timeoutMs: 0 });
    expect(await holderOf(name)).toBe('acme/shop run 7 attempt 2');
    await first.release();
    await second.release();
    expect(await lockContainers(name)).toEqual([]);
  });
});
