import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPacedLoad, type PacedLoad } from '../../bench/support/paced-load.ts';
import { runBundle, type BundleOptions, type BundleRun } from '../harness/run-bundle.ts';
import { buildImages, removeImages, type Variant } from '../support/blue-green-fixture.ts';
import { HAPROXY_ADMIN_SOCKET, HAPROXY_BACKEND, NGINX_ENDPOINT, startHostBed, type HostBed } from '../support/host-bed.ts';
import { DOCKER_HOST } from '../support/services.ts';

// deploy-canary on two remote hosts (HAProxy's counters read through each host's forwarded admin
// socket, pooled), and the nginx router on a remote host (its files and commands over the connection).
let images: Record<Variant, string>;
beforeAll(async () => {
  images = await buildImages(`sidhe-itg-rcanary-${process.pid}`, ['v1', 'v2', 'failing']);
}, 240_000);
afterAll(() => removeImages(images));

const RUN: BundleOptions = { env: { DOCKER_HOST }, timeoutMs: 180_000 };
/** One bed at a time on the machine: starting one may wait for another process's to close. */
const BED_WAIT_MS = 16 * 60_000;
/** Short steps, as in deploy-canary.itg.test.ts: errors are the signal, latency on this machine is noise. */
const QUICK = {
  'increment-interval': '3s',
  'look-interval': '1s',
  'min-requests': '20',
  'health-timeout': '30s',
  'min-effect': 'error-rate=0.5%, latency=200%',
};

function bedInputs(bed: HostBed, router: 'haproxy' | 'nginx'): Record<string, string> {
  return {
    app: 'shop',
    environment: 'remote',
    router,
    'router-endpoint': router === 'haproxy' ? `unix://${HAPROXY_ADMIN_SOCKET}` : NGINX_ENDPOINT,
    'router-service': HAPROXY_BACKEND,
    ports: '8081,8082',
    hosts: bed.hosts.map((host) => host.url).join('\n'),
    'ssh-key': bed.privateKey,
    'known-hosts': bed.knownHosts,
    'switch-delay': '1s',
    'health-timeout': '30s',
  };
}

async function version(bed: HostBed, i: number): Promise<string> {
  const response = await fetch(`${bed.hosts[i]!.frontUrl}/version`, { signal: AbortSignal.timeout(5_000) }).catch((error: Error) => error);
  return response instanceof Error ? `error: ${response.message}` : (await response.text()).trim();
}

function hostsOutput(run: BundleRun): { release?: string; traffic?: string }[] {
  return Object.values(JSON.parse(run.outputs.hosts!) as Record<string, { release?: string; traffic?: string }>);
}

describe('deploy-canary on two remote hosts behind their own HAProxy, under load on both', () => {
  let bed: HostBed;
  let loads: PacedLoad[] = [];
  beforeAll(async () => {
    bed = await startHostBed({ hosts: 2, router: 'haproxy' });
    const first = await runBundle('deploy-blue-green', { ...bedInputs(bed, 'haproxy'), image: images.v1 }, RUN);
    expect(first.exitCode, first.stdout).toBe(0);
    loads = bed.hosts.map((host) => startPacedLoad(`${host.frontUrl}/`, { rate: 40, connections: 4, maxSeconds: 600 }));
  }, BED_WAIT_MS);
  afterAll(async () => {
    await Promise.all(loads.map((load) => load.stop()));
    await bed?.close();
  });

  it("promotes a healthy canary on both hosts, judged on both hosts' counters pooled", async () => {
    // v1 stable on both, whatever ran before (the abort below leaves stable as it found it).
    if ((await Promise.all([0, 1].map((i) => version(bed, i)))).some((v) => v !== '1.0.0')) {
      const stable = await runBundle('deploy-blue-green', { ...bedInputs(bed, 'haproxy'), 'switch-delay': '0s', image: images.v1 }, RUN);
      expect(stable.exitCode, stable.stdout).toBe(0);
    }
    const run = await runBundle('deploy-canary', { ...bedInputs(bed, 'haproxy'), ...QUICK, metrics: 'router', image: images.v2, steps: '50,100' }, RUN);
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs).toMatchObject({ outcome: 'promoted', 'canary-weight': '100' });
    expect(run.stdout).toMatch(
      /HAProxy counters of backend app via unix:\/\/\/run\/haproxy\/admin\.sock on ssh:\/\/root@10\.213\.\d+\.2:22 pooled over ssh:\/\/root@10\.213\.\d+\.2:22, ssh:\/\/root@10\.213\.\d+\.2:22/,
    );
    const analysis = JSON.parse(readFileSync(run.outputs['analysis-path']!, 'utf8')) as { analyses: { canary: { requests: number } }[] };
    expect(analysis.analyses[0]!.canary.requests).toBeGreaterThan(0);
    expect(await Promise.all([0, 1].map((i) => version(bed, i)))).toEqual(['2.0.0', '2.0.0']);
    const hosts = hostsOutput(run);
    expect(hosts.map((host) => host.release)).toEqual([run.outputs.release, run.outputs.release]);
    // Every step's weights were set on both hosts: the fleet never read as routing differently.
    expect(run.stdout).not.toContain('the hosts route differently');
  }, 240_000);

  it('aborts a failing canary on both hosts: the same weights on each, all traffic back on stable', async () => {
    const stable = await Promise.all([0, 1].map((i) => version(bed, i)));
    const run = await runBundle(
      'deploy-canary',
      { ...bedInputs(bed, 'haproxy'), ...QUICK, metrics: 'router', image: images.failing, steps: '50,100', 'increment-interval': '30s' },
      RUN,
    );
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toMatch(/^deploy-canary failed: the canary was aborted after \S+, all traffic back on stable/);
    expect(run.outputs).toMatchObject({ outcome: 'aborted', 'canary-weight': '0' });
    const { weights } = JSON.parse(readFileSync(run.outputs['analysis-path']!, 'utf8')) as { weights: { weight: number }[] };
    expect(weights.map((w) => w.weight)).toEqual([50, 0]);
    // Each host's router was set to the fleet's weight at every step: both read the same now.
    const hosts = hostsOutput(run);
    expect(hosts[0]!.traffic).toBe(hosts[1]!.traffic);
    expect(run.stdout).not.toContain('the hosts route differently');
    expect(hosts.map((host) => host.release)).toEqual([run.outputs['previous-release'], run.outputs['previous-release']]);
    expect(await Promise.all([0, 1].map((i) => version(bed, i)))).toEqual(stable);
  }, 240_000);
});

describe('deploy-blue-green and rollback on a remote host behind its own nginx', () => {
  let bed: HostBed;
  beforeAll(async () => {
    bed = await startHostBed({ hosts: 1, router: 'nginx' });
  }, BED_WAIT_MS);
  afterAll(() => bed?.close());

  it('writes the upstream file, tests and reloads nginx on the host, and rolls back', async () => {
    const inputs = bedInputs(bed, 'nginx');
    const first = await runBundle('deploy-blue-green', { ...inputs, image: images.v1 }, RUN);
    expect(first.exitCode, first.stdout).toBe(0);
    expect(await version(bed, 0)).toBe('1.0.0');
    const second = await runBundle('deploy-blue-green', { ...inputs, image: images.v2 }, RUN);
    expect(second.exitCode, second.stdout).toBe(0);
    expect(await version(bed, 0)).toBe('2.0.0');
    expect(hostsOutput(second)).toMatchObject([{ release: second.outputs.release }]);
    const back = await runBundle('rollback', { ...inputs, reason: 'itg' }, RUN);
    expect(back.exitCode, back.stdout).toBe(0);
    expect(await version(bed, 0)).toBe('1.0.0');
    expect(hostsOutput(back)).toMatchObject([{ release: first.outputs.release }]);
  }, 300_000);
});
