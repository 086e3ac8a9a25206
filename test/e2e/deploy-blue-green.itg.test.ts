import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blueGreenBed, buildImages, docker, removeImages, type BlueGreenBed, type Variant } from '../support/blue-green-fixture.ts';

const RELEASE = 'r\\d{14}-[0-9a-f]{12}';
let images: Record<Variant, string>;

beforeAll(async () => {
  images = await buildImages(`sidhe-itg-bg-${process.pid}`, ['v1', 'v2', 'broken']);
});
afterAll(() => removeImages(images));

describe.each(['haproxy', 'nginx'] as const)('deploy-blue-green and rollback on the real Docker engine behind %s', (router) => {
  let bed: BlueGreenBed;
  beforeAll(async () => {
    bed = await blueGreenBed(router, `bg${router}${process.pid}`);
  });
  afterAll(() => bed.cleanup());

  it('deploys v1, then v2 into the other colour, keeping v1 for rollback', async () => {
    const first = await bed.deploy(images.v1);
    expect(first.exitCode, first.stdout).toBe(0);
    expect(first.outputs['active-color']).toBe('blue');
    expect(await bed.version()).toBe('1.0.0');

    const second = await bed.deploy(images.v2);
    expect(second.exitCode, second.stdout).toBe(0);
    expect(second.outputs).toMatchObject({ 'active-color': 'green', 'previous-release': first.outputs.release });
    expect(await bed.version()).toBe('2.0.0');
    expect(second.summary).toContain('## Blue-green deploy');
    expect(second.summary).toMatch(new RegExp(`\\| serving \\| ${second.outputs.release} \\| green \\| ${images.v2} \\|`));
  });

  it('re-deploying the live image is a no-op that says so', async () => {
    const again = await bed.deploy(images.v2);
    expect(again.exitCode, again.stdout).toBe(0);
    expect(again.stdout).toContain('already runs');
    expect(again.outputs['active-color']).toBe('green');
  });

  it('refuses a release that never becomes healthy; traffic stays on v2', async () => {
    const run = await bed.deploy(images.broken, { 'health-timeout': '4s' });
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toMatch(
      new RegExp(
        `^deploy-blue-green failed: release ${RELEASE} did not become healthy within 4s: .*status 404.*; traffic stayed on release ${RELEASE} \\(${images.v2}, green\\)`,
      ),
    );
    expect(run.outputs['active-color']).toBe('green');
    expect(await bed.version()).toBe('2.0.0');
  });

  it('rolls back to v1 with a router switch (the refused deploy started v1 again in the idle colour), and forward to v2', async () => {
    const back = await bed.rollback();
    expect(back.exitCode, back.stdout).toBe(0);
    expect(back.summary).toContain('✅ switched back');
    expect(Number(back.outputs['duration-ms'])).toBeLessThan(3000);
    expect(await bed.version()).toBe('1.0.0');

    const forward = await bed.rollback({ to: 'previous' });
    expect(forward.exitCode, forward.stdout).toBe(0);
    expect(forward.summary).toContain('✅ switched back');
    expect(Number(forward.outputs['duration-ms'])).toBeLessThan(3000);
    expect(await bed.version()).toBe('2.0.0');
  });

  it('restarts a previous release whose container is gone, from the record on the live one', async () => {
    await docker('rm', '-f', `sidhe-${bed.app}.${bed.environment}-blue`);
    const back = await bed.rollback();
    expect(back.exitCode, back.stdout).toBe(0);
    expect(back.summary).toContain('restarted and switched back');
    expect(await bed.version()).toBe('1.0.0');
    const forward = await bed.rollback();
    expect(forward.exitCode, forward.stdout).toBe(0);
    expect(await bed.version()).toBe('2.0.0');
  });

  it('names the recorded releases when asked for one that is not', async () => {
    const run = await bed.rollback({ to: 'r20990101000000-000000000000' });
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toMatch(new RegExp(`^rollback failed: release r20990101000000-000000000000 is not recorded on .*; recorded releases: ${RELEASE}`));
    expect(await bed.version()).toBe('2.0.0');
  });
});
