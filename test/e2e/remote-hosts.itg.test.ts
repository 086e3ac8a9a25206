import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildImages, removeImages, type Variant } from '../support/blue-green-fixture.ts';
import { DOCKER_HOST } from '../support/services.ts';
import { runBundle, type BundleOptions } from '../harness/run-bundle.ts';
import { HAPROXY_ADMIN_SOCKET, HAPROXY_BACKEND, startHostBed, type HostBed } from '../support/host-bed.ts';

// Remote hosts are network namespaces with their own sshd, dockerd and HAProxy (test/support/host-bed.ts);
// the runner reaches them only over SSH. Their engines start empty: every image is streamed from here.
let images: Record<Variant, string>;
let bed: HostBed;
/** One bed at a time on the machine: starting one may wait for another process's to close. */
const BED_WAIT_MS = 16 * 60_000;

beforeAll(async () => {
  [images, bed] = await Promise.all([buildImages(`sidhe-itg-remote-${process.pid}`, ['v1', 'v2', 'broken']), startHostBed({ hosts: 3, router: 'haproxy' })]);
}, BED_WAIT_MS);
afterAll(async () => {
  await bed?.close();
  if (images) await removeImages(images);
});

const RUN: BundleOptions = { env: { DOCKER_HOST }, timeoutMs: 180_000 };

function inputs(hosts: number[], extra: Record<string, string> = {}): Record<string, string> {
  return {
    app: 'shop',
    // One environment throughout: the hosts' routers each hold one backend, and the fleet grows from one host to three.
    environment: 'remote',
    router: 'haproxy',
    'router-endpoint': `unix://${HAPROXY_ADMIN_SOCKET}`,
    'router-service': HAPROXY_BACKEND,
    ports: '8081,8082',
    hosts: hosts.map((i) => bed.hosts[i]!.url).join('\n'),
    'ssh-key': bed.privateKey,
    'known-hosts': bed.knownHosts,
    'switch-delay': '1s',
    'health-timeout': '30s',
    ...extra,
  };
}

/** The `hosts` output: host URL → what it serves. */
function hostsOutput(run: { outputs: Record<string, string> }): Record<string, { release?: string; colour?: string; traffic?: string; error?: string }> {
  return JSON.parse(run.outputs.hosts!) as Record<string, { release?: string }>;
}

/** What host i's router front answers on /version. */
async function version(i: number): Promise<string> {
  const response = await fetch(`${bed.hosts[i]!.frontUrl}/version`, { signal: AbortSignal.timeout(5_000) }).catch((error: Error) => error);
  return response instanceof Error ? `error: ${response.message}` : (await response.text()).trim();
}

/** Removes the app's containers and the test images from hosts, as new hosts have none. */
async function emptyHosts(hosts: number[]): Promise<void> {
  for (const i of hosts) {
    const connection = await bed.connect(i);
    try {
      const listed = await connection.exec(['docker', 'ps', '-aq', '--filter', 'name=sidhe-shop.']);
      const ids = listed.stdout.split('\n').filter(Boolean);
      if (ids.length) await connection.exec(['docker', 'rm', '-f', ...ids]);
      await connection.exec(['docker', 'rmi', '-f', ...Object.values(images)]);
    } finally {
      await connection.close();
    }
  }
}

/**
 * Brings hosts to `image` serving (answering `expected`) at the start of a test, so none depends on
 * what another left; deploys only when one of them does not already.
 */
async function serving(image: string, expected: string, hosts: number[]): Promise<void> {
  if ((await Promise.all(hosts.map(version))).every((v) => v === expected)) return;
  const run = await runBundle('deploy-blue-green', { ...inputs(hosts, { 'switch-delay': '0s' }), image }, RUN);
  expect(run.exitCode, `bringing hosts ${hosts.join(', ')} to ${image}: ${run.stdout}`).toBe(0);
}

describe('deploy-blue-green and rollback on remote hosts over SSH', () => {
  it('deploys to one host over one connection: the image streamed to it, its router switched, its loopback probed', async () => {
    await emptyHosts([0]);
    const before = await bed.connectionsTo(0);
    const run = await runBundle('deploy-blue-green', { ...inputs([0]), image: images.v1 }, RUN);
    expect(run.exitCode, run.stdout).toBe(0);
    const colour = run.outputs['active-color'];
    expect(run.stdout).toContain(`copied it from the runner's engine to the Docker engine at ${bed.hosts[0]!.url}`);
    expect(await version(0)).toBe('1.0.0');
    expect(await bed.connectionsTo(0)).toBe(before + 1);

    const second = await runBundle('deploy-blue-green', { ...inputs([0]), image: images.v2 }, RUN);
    expect(second.exitCode, second.stdout).toBe(0);
    expect(second.outputs['active-color']).toBe(colour === 'blue' ? 'green' : 'blue');
    expect(await version(0)).toBe('2.0.0');
    const back = await runBundle('rollback', { ...inputs([0]), reason: 'itg' }, RUN);
    expect(back.exitCode, back.stdout).toBe(0);
    expect(await version(0)).toBe('1.0.0');
    expect(await bed.connectionsTo(0)).toBe(before + 3);
  }, 240_000);

  it('grows to three hosts (the two new ones get the image streamed), refuses a broken release on all of them, and rolls all of them back', async () => {
    await serving(images.v1, '1.0.0', [0]);
    await emptyHosts([1, 2]);
    const first = await runBundle('deploy-blue-green', { ...inputs([0, 1, 2]), image: images.v1 }, RUN);
    expect(first.exitCode, first.stdout).toBe(0);
    const second = await runBundle('deploy-blue-green', { ...inputs([0, 1, 2]), image: images.v2 }, RUN);
    expect(second.exitCode, second.stdout).toBe(0);
    expect(await Promise.all([0, 1, 2].map(version))).toEqual(['2.0.0', '2.0.0', '2.0.0']);
    const served = hostsOutput(second);
    expect(Object.keys(served)).toEqual([0, 1, 2].map((i) => bed.hosts[i]!.url));
    for (const host of Object.values(served)) expect(host).toMatchObject({ release: second.outputs.release, colour: second.outputs['active-color'] });
    expect(second.summary).toContain('### Hosts');
    // The serving row, and one row per host.
    expect(second.summary.split(second.outputs.release!).length - 1).toBeGreaterThanOrEqual(4);

    const broken = await runBundle('deploy-blue-green', { ...inputs([0, 1, 2]), image: images.broken, 'health-timeout': '4s' }, RUN);
    expect(broken.exitCode).toBe(1);
    expect(broken.errors[0]).toMatch(/did not become healthy within 4s/);
    expect(broken.errors[0]).toMatch(/ssh:\/\/root@10\.213\.\d+\.2:22/);
    expect(await Promise.all([0, 1, 2].map(version))).toEqual(['2.0.0', '2.0.0', '2.0.0']);

    const back = await runBundle('rollback', { ...inputs([0, 1, 2]), reason: 'itg' }, RUN);
    expect(back.exitCode, back.stdout).toBe(0);
    expect(Number(back.outputs['duration-ms'])).toBeLessThan(5_000);
    expect(await Promise.all([0, 1, 2].map(version))).toEqual(['1.0.0', '1.0.0', '1.0.0']);
    expect(new Set(Object.values(hostsOutput(back)).map((host) => host.release))).toEqual(new Set([back.outputs.release]));
  }, 300_000);

  it('refuses a host whose key is not the one known-hosts holds, naming the key it offered, and changes nothing', async () => {
    await serving(images.v1, '1.0.0', [0]);
    const otherKeys = bed.knownHosts
      .split('\n')
      .filter((line) => line.startsWith('10.213.2.2'))
      .map((line) => line.replace('10.213.2.2', '10.213.1.2'))
      .join('\n');
    const run = await runBundle('deploy-blue-green', { ...inputs([0], { 'known-hosts': `${otherKeys}\n` }), image: images.v2 }, RUN);
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toMatch(/ssh:\/\/root@10\.213\.1\.2:22 offered host key \S+ SHA256:\S+, which known-hosts does not trust/);
    expect(await version(0)).toBe('1.0.0');
  }, 60_000);

  it('says which host is down and leaves every host on a healthy release', async () => {
    await serving(images.v1, '1.0.0', [0, 1, 2]);
    await bed.stopDocker(2);
    try {
      const run = await runBundle('deploy-blue-green', { ...inputs([0, 1, 2]), image: images.v2 }, RUN);
      expect(run.exitCode).toBe(1);
      expect(run.errors[0]).toContain(bed.hosts[2]!.url);
      expect(await Promise.all([0, 1].map(version))).toEqual(['1.0.0', '1.0.0']);
    } finally {
      await bed.startDocker(2);
    }
  }, 180_000);

  it('never runs shell syntax that reaches the remote side', async () => {
    await serving(images.v1, '1.0.0', [0]);
    const marker = `/tmp/sidhe-remote-pwned-${process.pid}`;
    const run = await runBundle(
      'deploy-blue-green',
      { ...inputs([0], { 'router-endpoint': `unix:///run/haproxy/admin.sock;touch ${marker}`, 'health-path': `/health$(touch ${marker})` }), image: images.v2 },
      RUN,
    );
    expect(run.exitCode).toBe(1);
    expect(existsSync(marker)).toBe(false);
    expect(await version(0)).toBe('1.0.0');
  }, 60_000);

  it('with boot-limit 1 starts the release one host at a time, each proven healthy before the next', async () => {
    await serving(images.v1, '1.0.0', [0, 1, 2]);
    const run = await runBundle('deploy-blue-green', { ...inputs([0, 1, 2], { 'boot-limit': '1' }), image: images.v2 }, RUN);
    expect(run.exitCode, run.stdout).toBe(0);
    for (const wave of [1, 2, 3]) expect(run.stdout).toContain(`(wave ${wave} of 3)`);
    expect(run.stdout).toMatch(/proving release \S+ healthy on ssh:\/\/root@10\.213\.\d+\.2:22 before the next wave/);
    expect(await Promise.all([0, 1, 2].map(version))).toEqual(['2.0.0', '2.0.0', '2.0.0']);
  }, 240_000);

  it('a run killed between waves leaves every host serving, and the next run converges on one release', async () => {
    await serving(images.v2, '2.0.0', [0, 1, 2]);
    const killed = await runBundle(
      'deploy-blue-green',
      { ...inputs([0, 1, 2], { 'boot-limit': '1' }), image: images.v1 },
      { ...RUN, killWhenStdout: /\(wave 2 of 3\)/ },
    );
    expect(killed.exitCode).not.toBe(0);
    for (const i of [0, 1, 2]) expect(['1.0.0', '2.0.0']).toContain(await version(i));

    const again = await runBundle('deploy-blue-green', { ...inputs([0, 1, 2], { 'boot-limit': '1', 'lock-timeout': '120s' }), image: images.v1 }, RUN);
    expect(again.exitCode, again.stdout).toBe(0);
    expect(await Promise.all([0, 1, 2].map(version))).toEqual(['1.0.0', '1.0.0', '1.0.0']);
    expect(new Set(Object.values(hostsOutput(again)).map((host) => host.release))).toEqual(new Set([again.outputs.release]));
  }, 300_000);

  it('refuses router none on several hosts before connecting to any', async () => {
    const before = await Promise.all([0, 1].map((i) => bed.connectionsTo(i)));
    const run = await runBundle('', { command: 'deploy', ...inputs([0, 1]), strategy: 'direct', router: 'none', image: images.v2 }, RUN);
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toContain('router: "none" is not valid; with 2 hosts nothing would answer on any of them while the release is replaced');
    expect(await Promise.all([0, 1].map((i) => bed.connectionsTo(i)))).toEqual(before);
  }, 60_000);
});
