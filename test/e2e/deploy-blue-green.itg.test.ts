import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../packages/adapters/process/run-command.ts';
import { runBundle } from '../harness/run-bundle.ts';
import { startHaproxy, type HaproxyProcess } from '../support/haproxy-process.ts';
import { freePort } from '../support/local-servers.ts';
import { DOCKER_HOST } from '../support/services.ts';

const id = process.pid;
const app = `bg${id}`;
const environment = 'itg';
const images = { v1: `sidhe-itg-bg:v1-${id}`, v2: `sidhe-itg-bg:v2-${id}`, broken: `sidhe-itg-bg:broken-${id}` };
const env = { ...process.env, DOCKER_HOST };
const docker = (...args: string[]) => runCommand('docker', args, { env });

let haproxy: HaproxyProcess;
let inputs: Record<string, string>;

async function version(): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${haproxy.frontPort}/version`);
  return (await response.text()).trim();
}

const deploy = (image: string, extra: Record<string, string> = {}) =>
  runBundle('deploy-blue-green', { ...inputs, image, 'switch-delay': '2s', 'health-timeout': '30s', ...extra }, { env: { DOCKER_HOST } });
const rollback = (extra: Record<string, string> = {}) => runBundle('rollback', { ...inputs, reason: 'itg', ...extra }, { env: { DOCKER_HOST } });

beforeAll(async () => {
  for (const [tag, args] of [
    [images.v1, ['1.0.0']],
    [images.v2, ['2.0.0']],
    [images.broken, ['3.0.0', 'broken']],
  ] as const) {
    const build = await runCommand('bash', ['scripts/build-sample-image.sh', tag, ...args], { env });
    expect(build.exitCode, build.stderr).toBe(0);
  }
  haproxy = await startHaproxy({ backend: `${app}-${environment}`, servers: [{ name: 'blue' }, { name: 'green' }] });
  inputs = {
    app,
    environment,
    router: 'haproxy',
    'router-endpoint': haproxy.endpoint,
    ports: `${await freePort()},${await freePort()}`,
  };
});

afterAll(async () => {
  await haproxy?.stop();
  await docker('rm', '-f', `sidhe-${app}.${environment}-blue`, `sidhe-${app}.${environment}-green`, `sidhe-${app}.${environment}-lock`);
  await docker('rmi', images.v1, images.v2, images.broken);
});

describe('deploy-blue-green and rollback on the real Docker engine behind HAProxy', () => {
  it('deploys v1, then v2 into the other colour, keeping v1 for rollback', async () => {
    const first = await deploy(images.v1);
    expect(first.exitCode, first.stdout).toBe(0);
    expect(first.outputs['active-color']).toBe('blue');
    expect(await version()).toBe('1.0.0');

    const second = await deploy(images.v2);
    expect(second.exitCode, second.stdout).toBe(0);
    expect(second.outputs).toMatchObject({ 'active-color': 'green', 'previous-release': first.outputs.release });
    expect(await version()).toBe('2.0.0');
    expect(second.summary).toContain('## Blue-green deploy');
  });

  it('re-deploying the live image is a no-op that says so', async () => {
    const again = await deploy(images.v2);
    expect(again.exitCode, again.stdout).toBe(0);
    expect(again.stdout).toContain('already runs');
    expect(again.outputs['active-color']).toBe('green');
  });

  it('refuses a release that never becomes healthy; traffic stays on v2', async () => {
    const run = await deploy(images.broken, { 'health-timeout': '4s' });
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toMatch(/^deploy-blue-green failed: release r\d{14}-[0-9a-f]{12} did not become healthy within 4s: .*status 404.*; traffic stayed on release r\d{14}-[0-9a-f]{12} \(sidhe-itg-bg:v2-\d+, green\)/);
    expect(run.outputs['active-color']).toBe('green');
    expect(await version()).toBe('2.0.0');
  });

  it('rolls back to v1, restarting it from the record the refused deploy left, then back to v2 with a router switch', async () => {
    const back = await rollback();
    expect(back.exitCode, back.stdout).toBe(0);
    expect(back.summary).toContain('restarted and switched back');
    expect(await version()).toBe('1.0.0');

    const forward = await rollback({ to: 'previous' });
    expect(forward.exitCode, forward.stdout).toBe(0);
    expect(forward.summary).toContain('✅ switched back');
    expect(Number(forward.outputs['duration-ms'])).toBeLessThan(3000);
    expect(await version()).toBe('2.0.0');
  });

  it('names the recorded releases when asked for one that is not', async () => {
    const run = await rollback({ to: 'r20990101000000-000000000000' });
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toMatch(/^rollback failed: release r20990101000000-000000000000 is not recorded on .*; recorded releases: r\d{14}/);
    expect(await version()).toBe('2.0.0');
  });
});
