import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBundle } from '../harness/run-bundle.ts';
import { buildImages, docker, otherColour, removeImages, type Colour, type Variant } from '../support/blue-green-fixture.ts';
import { startHaproxy, type HaproxyProcess } from '../support/haproxy-process.ts';
import { freePort } from '../support/local-servers.ts';
import { DOCKER_HOST } from '../support/services.ts';
import { startPacedLoad } from '../../bench/support/paced-load.ts';

const RELEASE = 'r\\d{14}-[0-9a-f]{12}';
const app = `deploy${process.pid}`;
const CONFIG = `
deployment_strategies:
  staging:
    strategy: direct
  development:
    strategy: direct
  production:
    strategy: blue_green
  preprod:
    strategy: canary
`;

let images: Record<Variant, string>;
let workspace: string;
const proxies: Partial<Record<'staging' | 'production' | 'preprod', HaproxyProcess>> = {};

beforeAll(async () => {
  images = await buildImages(`sidhe-itg-deploy-${process.pid}`, ['v1', 'v2', 'broken']);
  workspace = mkdtempSync(path.join(os.tmpdir(), 'sidhe-deploy-ws-'));
  mkdirSync(path.join(workspace, '.sidhe'));
  writeFileSync(path.join(workspace, '.sidhe', 'devops.yaml'), CONFIG);
  for (const environment of ['staging', 'production', 'preprod'] as const) {
    proxies[environment] = await startHaproxy({ backend: `${app}-${environment}`, servers: [{ name: 'blue' }, { name: 'green' }] });
  }
}, 180_000);

afterAll(async () => {
  for (const proxy of Object.values(proxies)) await proxy.stop();
  const listed = await docker('ps', '-aq', '--filter', `name=sidhe-${app}.`);
  const ids = listed.stdout.split('\n').filter(Boolean);
  if (ids.length) await docker('rm', '-f', ...ids);
  await removeImages(images);
});

const run = (inputs: Record<string, string>) =>
  runBundle('', { command: 'deploy', app, 'health-timeout': '20s', ...inputs }, { workspace, env: { DOCKER_HOST } });

async function answer(url: string): Promise<string> {
  const response = await fetch(`${url}/version`).catch((error: Error) => error);
  return response instanceof Error ? `error: ${response.message}` : (await response.text()).trim();
}

/** The colour of the app's running container in `environment` that runs `image`, if one does. */
async function colourRunning(environment: string, image: string): Promise<Colour | undefined> {
  const prefix = `sidhe-${app}.${environment}-`;
  const listed = await docker('ps', '--format', '{{.Names}} {{.Image}}', '--filter', `name=${prefix}`);
  const line = listed.stdout.split('\n').find((l) => l.endsWith(` ${image}`));
  return line?.slice(prefix.length, line.indexOf(' ')) as Colour | undefined;
}

async function removeContainers(environment: string): Promise<void> {
  const listed = await docker('ps', '-aq', '--filter', `name=sidhe-${app}.${environment}-`);
  const ids = listed.stdout.split('\n').filter(Boolean);
  if (ids.length) await docker('rm', '-f', ...ids);
}

describe('deploy through the root action, the strategy read from .sidhe/devops.yaml', () => {
  describe('staging, configured direct, behind HAProxy', () => {
    let ports: string;
    const staging = (inputs: Record<string, string>) =>
      run({ environment: 'staging', router: 'haproxy', 'router-endpoint': proxies.staging!.endpoint, ports, ...inputs });
    beforeAll(async () => {
      ports = `${await freePort()},${await freePort()}`;
    });
    /** The state the later tests start from: v2 replaced v1, which is stopped and recorded. Returns v2's colour. */
    async function v2ReplacedV1(): Promise<Colour> {
      const live = await colourRunning('staging', images.v2);
      if (live && (await answer(proxies.staging!.url)) === '2.0.0') return live;
      await removeContainers('staging');
      for (const image of [images.v1, images.v2]) expect((await staging({ image })).exitCode).toBe(0);
      return (await colourRunning('staging', images.v2))!;
    }

    it('deploys v1, then replaces it with v2 and stops v1; the summary says which strategy ran and why', async () => {
      await removeContainers('staging');
      const first = await staging({ image: images.v1 });
      expect(first.exitCode, first.stdout).toBe(0);
      const colour = first.outputs['active-color'] as Colour;
      const second = await staging({ image: images.v2 });
      expect(second.exitCode, second.stdout).toBe(0);
      expect(second.summary).toContain('Strategy direct for staging, from deployment_strategies.staging.strategy in .sidhe/devops.yaml.');
      expect(second.summary).toContain('## Direct deploy');
      expect(second.summary).toContain('the previous release was stopped (no instant rollback');
      expect(second.outputs).toMatchObject({ 'active-color': otherColour(colour), 'previous-release': first.outputs.release });
      expect(await answer(proxies.staging!.url)).toBe('2.0.0');
      const stopped = await docker('inspect', '-f', '{{.State.Running}}', `sidhe-${app}.staging-${colour}`);
      expect(stopped.stdout.trim()).toBe('false');
    });

    it('refuses a release that never gets healthy; v2 keeps serving', async () => {
      const live = await v2ReplacedV1();
      const run = await staging({ image: images.broken, 'health-timeout': '4s' });
      expect(run.exitCode).toBe(1);
      expect(run.errors[0]).toMatch(
        new RegExp(`^deploy failed: release ${RELEASE} did not become healthy within 4s: .*; traffic stayed on release ${RELEASE} \\(${images.v2}, ${live}\\)`),
      );
      expect(await answer(proxies.staging!.url)).toBe('2.0.0');
    });

    it('is rolled back by restarting the stopped previous release', async () => {
      await v2ReplacedV1();
      const back = await runBundle(
        'rollback',
        { app, environment: 'staging', router: 'haproxy', 'router-endpoint': proxies.staging!.endpoint, ports, reason: 'itg' },
        { workspace, env: { DOCKER_HOST } },
      );
      expect(back.exitCode, back.stdout).toBe(0);
      expect(back.summary).toContain('restarted and switched back');
      expect(await answer(proxies.staging!.url)).toBe('1.0.0');
    });
  });

  describe('development, configured direct, without a router', () => {
    let port: number;
    const development = (inputs: Record<string, string>) => run({ environment: 'development', router: 'none', ports: `${port},${port + 1}`, ...inputs });
    beforeAll(async () => {
      port = await freePort();
    });

    it('stops v1 and starts v2 on the same port, saying how long nothing answered', async () => {
      expect((await development({ image: images.v1 })).exitCode).toBe(0);
      const second = await development({ image: images.v2 });
      expect(second.exitCode, second.stdout).toBe(0);
      const unreachable = Number(second.outputs['unreachable-ms']);
      expect(unreachable).toBeGreaterThan(0);
      expect(second.summary).toContain(`without a router, nothing answered for ${unreachable} ms`);
      expect(await answer(`http://127.0.0.1:${port}`)).toBe('2.0.0');
    });

    it('starts v2 again when the new release never answers', async () => {
      // v2 serving first, whatever ran before.
      if ((await answer(`http://127.0.0.1:${port}`)) !== '2.0.0') expect((await development({ image: images.v2 })).exitCode).toBe(0);
      const run = await development({ image: images.broken, 'health-timeout': '3s' });
      expect(run.exitCode).toBe(1);
      expect(run.errors[0]).toMatch(
        new RegExp(`^deploy failed: release ${RELEASE} did not become healthy within 3s: .*; release ${RELEASE} \\(${images.v2}, (blue|green)\\) serves again`),
      );
      expect(await answer(`http://127.0.0.1:${port}`)).toBe('2.0.0');
    });
  });

  it('production, configured blue_green, runs the blue-green strategy', async () => {
    const ports = `${await freePort()},${await freePort()}`;
    const first = await run({
      environment: 'production',
      image: images.v1,
      router: 'haproxy',
      'router-endpoint': proxies.production!.endpoint,
      ports,
      'switch-delay': '1s',
    });
    expect(first.exitCode, first.stdout).toBe(0);
    expect(first.summary).toContain('Strategy blue_green for production, from deployment_strategies.production.strategy in .sidhe/devops.yaml.');
    expect(first.summary).toContain('## Blue-green deploy');
    expect(await answer(proxies.production!.url)).toBe('1.0.0');
  });

  it('preprod, configured canary, runs deploy-canary (after a first release put there by the strategy input)', async () => {
    const proxy = proxies.preprod!;
    const place = { environment: 'preprod', router: 'haproxy', 'router-endpoint': proxy.endpoint, ports: `${await freePort()},${await freePort()}` };
    const first = await run({ ...place, strategy: 'blue-green', image: images.v1, 'switch-delay': '0s' });
    expect(first.exitCode, first.stdout).toBe(0);
    expect(first.summary).toContain('Strategy blue_green for preprod, from the strategy input.');
    const load = startPacedLoad(`${proxy.url}/`, { rate: 120, connections: 4, maxSeconds: 300 });
    try {
      // Short steps, as deploy-canary's own tests take them on this shared machine.
      const quick = {
        'increment-interval': '3s',
        'look-interval': '1s',
        'min-requests': '20',
        'health-timeout': '30s',
        'min-effect': 'error-rate=0.5%, latency=200%',
      };
      const second = await run({ ...place, ...quick, image: images.v2, steps: '50,100' });
      expect(second.exitCode, second.stdout).toBe(0);
      expect(second.outputs.outcome).toBe('promoted');
      expect(second.summary).toContain('Strategy canary for preprod, from deployment_strategies.preprod.strategy in .sidhe/devops.yaml.');
      expect(second.summary).toContain('## Canary deploy');
    } finally {
      await load.stop();
    }
    expect(await answer(proxy.url)).toBe('2.0.0');
  }, 300_000);

  it('refuses an environment the configuration does not list, naming those it lists', async () => {
    const bad = await run({ environment: 'qa', image: images.v1, router: 'haproxy', 'router-endpoint': proxies.staging!.endpoint });
    expect(bad.exitCode).toBe(1);
    expect(bad.errors[0]).toBe(
      'deploy failed: input environment is "qa", which deployment_strategies in .sidhe/devops.yaml does not list; it lists: staging, development, production, preprod',
    );
  });

  it('refuses a misspelt strategy, naming the allowed ones', async () => {
    const bad = await run({ environment: 'staging', strategy: 'bluegreen', image: images.v1, router: 'haproxy', 'router-endpoint': proxies.staging!.endpoint });
    expect(bad.exitCode).toBe(1);
    expect(bad.errors[0]).toMatch(/^deploy failed: input strategy is "bluegreen": use one of direct, .*blue_green, blue-green, .*canary/);
  });
});
