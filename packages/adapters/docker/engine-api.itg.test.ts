import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCKER_HOST } from '../../../test/support/services.ts';
import { encodeReleaseLabels, releaseId, RELEASE_LABEL_KEYS, type ReleaseLabels } from '../../core/deploy/release.ts';
import { ActionFailure } from '../../core/errors.ts';
import { runCommand } from '../process/run-command.ts';
import { inspectContainerHealth } from './container-health.ts';
import { DockerCli } from './docker-cli.ts';
import { DockerLockStore, lockName } from './docker-lock.ts';
import { DockerTarget } from './docker-target.ts';
import { engineApiFromEnv } from './engine-api.ts';

// The same engine read two ways: through its unix socket's API, and by `docker` processes.
const env = { ...process.env, DOCKER_HOST, DOCKER_BUILDKIT: '0' };
const overApi = new DockerTarget({ env });
const overCli = new DockerTarget({ env, engineApi: false });
const engine = engineApiFromEnv(env)!;
const id = `eapi${process.pid}x${Date.now().toString(36)}`;
const image = `sidhe-${id}:v1`;
const names = {
  release: `sidhe-${id}.itg-blue`,
  unhealthy: `${id}-unhealthy`,
  healthy: `${id}-healthy`,
  exited: `${id}-exited`,
  missing: `${id}-missing`,
};
let context = '';

async function docker(...args: string[]): Promise<string> {
  const result = await runCommand('docker', args, { env, timeoutMs: 60_000 });
  if (result.exitCode !== 0) throw new Error(`docker ${args.join(' ')}: ${result.stderr}`);
  return result.stdout.trim();
}

/** `docker run -d` of the busybox image with the app's label and `extra` arguments. */
function run(name: string, labels: Record<string, string>, ...extra: string[]): Promise<string> {
  const flags = Object.entries({ [RELEASE_LABEL_KEYS.app]: id, ...labels }).flatMap(([k, v]) => ['--label', `${k}=${v}`]);
  return docker('run', '-d', '--network', 'host', '--name', name, ...flags, ...extra, image);
}

beforeAll(async () => {
  context = await mkdtemp(join(tmpdir(), 'sidhe-eapi-'));
  await copyFile('/bin/busybox', join(context, 'busybox'));
  await writeFile(
    join(context, 'Dockerfile'),
    ['FROM scratch', 'COPY busybox /bin/busybox', 'COPY busybox /bin/sh', 'CMD ["/bin/busybox","sleep","600"]'].join('\n'),
  );
  await docker('build', '-q', '-t', image, context);
  const digest = await docker('image', 'inspect', '--format', '{{.Id}}', image);
  const deployedAt = new Date();
  const labels: ReleaseLabels = {
    app: id,
    environment: 'itg',
    colour: 'blue',
    release: releaseId(deployedAt, digest),
    image,
    imageDigest: digest,
    deployedAt: deployedAt.toISOString(),
    port: 18_999,
  };
  await run(names.release, encodeReleaseLabels(labels));
  await run(names.unhealthy, {}, '--health-cmd', 'echo checked, failing; exit 1', '--health-interval', '200ms', '--health-retries', '1');
  await run(names.healthy, {}, '--health-cmd', 'exit 0', '--health-interval', '200ms');
  await docker('run', '--network', 'host', '--name', names.exited, '--label', `${RELEASE_LABEL_KEYS.app}=${id}`, image, '/bin/sh', '-c', 'exit 3').catch(
    () => '',
  );
  // Until both health checks have run at least once, the two paths could read different moments.
  for (let i = 0; i < 50; i++) {
    const states = await docker('inspect', '--format', '{{.State.Health.Status}}', names.unhealthy, names.healthy);
    if (states === 'unhealthy\nhealthy') break;
    await sleep(200);
  }
});

afterAll(async () => {
  engine.close();
  await runCommand('docker', ['rm', '--force', ...Object.values(names), `${id}-writes-api`, `${id}-writes-cli`], { env });
  await runCommand('docker', ['rmi', image], { env });
  if (context) await rm(context, { recursive: true, force: true });
});

describe('reads through the Engine API', () => {
  it('are on only for a unix socket', () => {
    expect(new DockerCli({ env }).api).toBeDefined();
    expect(new DockerCli({ env: {}, dockerHost: DOCKER_HOST }).api).toBeDefined();
    expect(new DockerCli({ env: { DOCKER_HOST: 'tcp://127.0.0.1:2375' } }).api).toBeUndefined();
    expect(new DockerCli({ env: { DOCKER_HOST: 'ssh://deploy@web1' } }).api).toBeUndefined();
    expect(new DockerCli({ env: {} }).api).toBeUndefined();
    expect(new DockerCli({ env, engineApi: false }).api).toBeUndefined();
  });

  it('see the same release containers as the CLI: running, unhealthy, exited and missing', async () => {
    for (const name of Object.values(names)) {
      expect(await overApi.inspect(name), name).toEqual(await overCli.inspect(name));
    }
    expect(await overApi.inspect(names.release)).toMatchObject({ trusted: true, status: { state: 'running', running: true, health: 'none' } });
    expect(await overApi.inspect(names.unhealthy)).toMatchObject({ trusted: false, status: { health: 'unhealthy', healthLog: 'checked, failing' } });
    expect(await overApi.inspect(names.exited)).toMatchObject({ status: { state: 'exited', running: false, exitCode: 3 } });
    expect(await overApi.inspect(names.missing)).toBeUndefined();
  });

  it('list by labels as the CLI does', async () => {
    const listed = await overApi.list({ app: id });
    expect(listed.map((c) => c.name).sort()).toEqual([names.exited, names.healthy, names.release, names.unhealthy].sort());
    expect(listed).toEqual(await overCli.list({ app: id }));
    expect(await overApi.list({ app: id, environment: 'itg' })).toEqual(await overCli.list({ app: id, environment: 'itg' }));
    expect(await overApi.list({ app: `${id}-none` })).toEqual([]);
  });

  it('read the same managed containers, less the CPU and memory sampled apart', async () => {
    const withoutUsage = (all: { usage?: unknown }[]) => all.map(({ usage: _, ...rest }) => rest);
    const [api, cli] = await Promise.all([overApi.managedContainers({ app: id }), overCli.managedContainers({ app: id })]);
    expect(api).toHaveLength(4);
    expect(withoutUsage(api)).toEqual(withoutUsage(cli));
    expect(api.filter((c) => c.usage).map((c) => c.name)).toEqual(cli.filter((c) => c.usage).map((c) => c.name));
  });

  it('read the same image digest, and a missing image the same way', async () => {
    expect(await overApi.imageDigest(image)).toBe(await overCli.imageDigest(image));
    const missing = `sidhe-${id}-none:v1`;
    const [api, cli] = await Promise.all([
      overApi.imageDigest(missing).catch((e: Error) => e.message),
      overCli.imageDigest(missing).catch((e: Error) => e.message),
    ]);
    expect(api).toBe(`image ${missing} is not on the Docker engine at ${DOCKER_HOST}; pull it first`);
    expect(api).toBe(cli);
  });

  it('give the health proof the same observations', async () => {
    for (const name of [names.release, names.healthy, names.unhealthy, names.exited, names.missing]) {
      const [api, cli] = [
        await inspectContainerHealth(name, { timeoutMs: 10_000, env, engine }),
        await inspectContainerHealth(name, { timeoutMs: 10_000, env }),
      ];
      expect(api, name).toEqual(cli);
    }
    expect(await inspectContainerHealth(names.healthy, { timeoutMs: 10_000, env, engine })).toEqual({
      kind: 'container',
      state: { status: 'running', health: 'healthy' },
    });
    expect((await inspectContainerHealth(names.missing, { timeoutMs: 10_000, env, engine })).error).toBe(
      `no container named "${names.missing}" (Error response from daemon: No such container: ${names.missing})`,
    );
  });

  it('read a lock the same way', async () => {
    const lock = lockName(id, 'itg');
    const stores = [new DockerLockStore(new DockerCli({ env }), lock), new DockerLockStore(new DockerCli({ env, engineApi: false }), lock)];
    expect(await stores[0]!.read()).toBeUndefined();
    expect(await stores[1]!.read()).toBeUndefined();
    const token = await stores[0]!.create('itg@here', Date.now(), Date.now() + 60_000);
    try {
      await stores[0]!.renew(token!, 'itg@here', Date.now() + 120_000);
      const [api, cli] = [await stores[0]!.read(), await stores[1]!.read()];
      expect(api).toMatchObject({ token, owner: 'itg@here' });
      expect(api).toEqual(cli);
    } finally {
      await stores[0]!.remove(token!);
    }
  });

  it('take, refuse and free a lock as the CLI does', async () => {
    const lock = lockName(id, 'itg-write');
    const [api, cli] = [new DockerLockStore(new DockerCli({ env }), lock), new DockerLockStore(new DockerCli({ env, engineApi: false }), lock)];
    const lockContainers = () => docker('ps', '--all', '--quiet', '--filter', `label=dev.sidhe.lock=${lock}`);
    for (const [first, second] of [
      [api, cli],
      [cli, api],
    ] as const) {
      const token = await first.create('first@here', Date.now(), Date.now() + 60_000);
      expect(token).toMatch(/^[0-9a-f]{64}$/);
      expect(await second.create('second@here', Date.now(), Date.now() + 60_000)).toBeUndefined();
      await first.renew(token!, 'first@here', Date.now() + 120_000);
      expect((await lockContainers()).split('\n')).toHaveLength(2);
      await second.remove(token!);
      expect(await lockContainers()).toBe('');
      await second.remove(token!); // already gone: no error
    }
  });

  it("stop a release's container, set its restart policy and remove it as the CLI does; each safe to repeat", async () => {
    for (const [label, target] of [
      ['api', overApi],
      ['cli', overCli],
    ] as const) {
      const name = `${id}-writes-${label}`;
      await run(name, {}, '--restart', 'no');
      await engine.setRestartPolicy(name, 'unless-stopped');
      expect(await docker('inspect', '--format', '{{.HostConfig.RestartPolicy.Name}}', name)).toBe('unless-stopped');
      // busybox sleep ignores SIGTERM as PID 1: a grace of 1 s ends in the engine's kill.
      await target.stop(name, { graceMs: 1_000 });
      await target.stop(name, { graceMs: 0 });
      expect(await docker('inspect', '--format', '{{.State.Status}}', name)).toBe('exited');
      await target.remove(name);
      await target.remove(name);
      await target.stop(name, { graceMs: 0 });
      expect(await docker('ps', '--all', '--quiet', '--filter', `name=^${name}$`)).toBe('');
    }
    await expect(engine.setRestartPolicy(names.missing, 'unless-stopped')).rejects.toThrow(
      new RegExp(`^POST /containers/${names.missing}/update failed on the Docker engine at .*: No such container: ${names.missing} \\(HTTP 404\\)$`),
    );
  });

  it('name the engine when its socket does not answer, as the CLI does', async () => {
    const nowhere = `unix://${join(tmpdir(), `${id}-no-engine.sock`)}`;
    const error = await new DockerTarget({ dockerHost: nowhere }).inspect(names.release).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ActionFailure);
    expect((error as Error).message).toMatch(new RegExp(`^Docker engine at ${nowhere} is unreachable: connect ENOENT `));
    const cli = await new DockerTarget({ dockerHost: nowhere, engineApi: false }).inspect(names.release).catch((e: Error) => e.message);
    expect(cli).toMatch(new RegExp(`^Docker engine at ${nowhere} is unreachable: `));
    const observation = await inspectContainerHealth(names.release, { timeoutMs: 5_000, engine: engineApiFromEnv({ DOCKER_HOST: nowhere })! });
    expect(observation).toEqual({
      kind: 'container',
      error: expect.stringMatching(new RegExp(`^Docker engine at ${nowhere} is unreachable: connect ENOENT `)),
    });
  });
});
