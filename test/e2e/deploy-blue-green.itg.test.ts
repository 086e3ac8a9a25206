import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blueGreenBed, buildImages, docker, otherColour, removeImages, type BlueGreenBed, type Colour, type Variant } from '../support/blue-green-fixture.ts';

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
  // The state the other tests start from: v2 serving, v1 kept in the idle colour and recorded as the
  // previous release (bed.serve deploys them only when the bed is not there already).
  const v2OverV1 = () => bed.serve(images.v2, { idle: images.v1 });

  it('deploys v1, then v2 into the other colour, keeping v1 for rollback', async () => {
    await bed.reset();
    const first = await bed.deploy(images.v1);
    expect(first.exitCode, first.stdout).toBe(0);
    expect(await bed.version()).toBe('1.0.0');
    // The router still names the colour it served last; the first release goes to the other one.
    const colour = first.outputs['active-color'] as Colour;

    const second = await bed.deploy(images.v2);
    expect(second.exitCode, second.stdout).toBe(0);
    expect(second.outputs).toMatchObject({ 'active-color': otherColour(colour), 'previous-release': first.outputs.release });
    expect(await bed.version()).toBe('2.0.0');
    expect(second.summary).toContain('## Blue-green deploy');
    expect(second.summary).toMatch(new RegExp(`\\| serving \\| ${second.outputs.release} \\| ${otherColour(colour)} \\| ${images.v2} \\|`));
    expect(await bed.running()).toEqual(
      new Map([
        [colour, images.v1],
        [otherColour(colour), images.v2],
      ]),
    );
  });

  it('re-deploying the live image is a no-op that says so', async () => {
    const live = await v2OverV1();
    const again = await bed.deploy(images.v2);
    expect(again.exitCode, again.stdout).toBe(0);
    expect(again.stdout).toContain('already runs');
    expect(again.outputs['active-color']).toBe(live);
  });

  it('refuses a release that never becomes healthy; traffic stays on v2, and v1 is started again in the idle colour', async () => {
    const live = await v2OverV1();
    const run = await bed.deploy(images.broken, { 'health-timeout': '4s' });
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toMatch(
      new RegExp(
        `^deploy-blue-green failed: release ${RELEASE} did not become healthy within 4s: .*status 404.*; traffic stayed on release ${RELEASE} \\(${images.v2}, ${live}\\)`,
      ),
    );
    expect(run.outputs['active-color']).toBe(live);
    expect(await bed.version()).toBe('2.0.0');
    expect(await bed.running()).toEqual(
      new Map([
        [live, images.v2],
        [otherColour(live), images.v1],
      ]),
    );
  });

  it('rolls back to v1 kept in the idle colour with a router switch, and forward to v2', async () => {
    await v2OverV1();
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
    const live = await v2OverV1();
    await docker('rm', '-f', `sidhe-${bed.app}.${bed.environment}-${otherColour(live)}`);
    const back = await bed.rollback();
    expect(back.exitCode, back.stdout).toBe(0);
    expect(back.summary).toContain('restarted and switched back');
    expect(await bed.version()).toBe('1.0.0');
    const forward = await bed.rollback();
    expect(forward.exitCode, forward.stdout).toBe(0);
    expect(await bed.version()).toBe('2.0.0');
  });

  it('names the recorded releases when asked for one that is not', async () => {
    await v2OverV1();
    const run = await bed.rollback({ to: 'r20990101000000-000000000000' });
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toMatch(new RegExp(`^rollback failed: release r20990101000000-000000000000 is not recorded on .*; recorded releases: ${RELEASE}`));
    expect(await bed.version()).toBe('2.0.0');
  });
});
