import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { blueGreenBed, buildImages, docker, removeImages, type BlueGreenBed, type Variant } from '../support/blue-green-fixture.ts';

let images: Record<Variant, string>;
let bed: BlueGreenBed;

/** Every container of the bed's app with its id and state: what "nothing changed" is checked against. */
async function containers(): Promise<string> {
  const listed = await docker('ps', '-a', '--no-trunc', '--format', '{{.ID}} {{.Names}} {{.State}}', '--filter', `name=sidhe-${bed.app}.`);
  return listed.stdout.split('\n').sort().join('\n');
}

beforeAll(async () => {
  images = await buildImages(`sidhe-itg-inputs-${process.pid}`, ['v1', 'v2', 'broken']);
  bed = await blueGreenBed('haproxy', `inp${process.pid}`);
});
// Every test starts with v2 serving and v1 kept as the previous release (deployed only when the bed is
// not there already: the last test rolls back to v1).
beforeEach(async () => {
  await bed.serve(images.v2, { idle: images.v1 });
});
afterAll(async () => {
  await bed?.cleanup();
  if (images) await removeImages(images);
});

describe('bad input is refused before the lock is taken or a container is touched', () => {
  it.each([
    ['health-path', { 'health-path': 'health' }],
    ['health-path', { 'health-path': '/health\ntcp://127.0.0.1:22' }],
    ['image', { image: '-x' }],
    ['image', { image: '--privileged' }],
    ['health-timeout', { 'health-timeout': '0s' }],
    ['switch-delay', { 'switch-delay': '-1s' }],
    ['ports', { ports: '8081' }],
    ['lock-timeout', { 'lock-timeout': 'soon' }],
    ['app', { app: '-x' }],
  ])('deploy-blue-green with a bad %s: a user error naming it, v2 still serves, no container changed', async (input, bad) => {
    const before = await containers();
    const run = await bed.deploy(images.broken, bad);
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toMatch(new RegExp(`^deploy-blue-green failed: ${input}: ".*" is not valid; `, 's'));
    expect(run.stdout).not.toContain('a bug in sidhe/devops');
    // The first thing done under the lock is the pull: it never came.
    expect(run.stdout).not.toMatch(/pull/);
    expect(await bed.version()).toBe('2.0.0');
    expect(await containers()).toBe(before);
  });

  it.each([
    ['to', { to: '-x' }],
    ['to', { to: '--rm' }],
    ['health-path', { 'health-path': 'ready' }],
    ['health-timeout', { 'health-timeout': '0ms' }],
  ])('rollback with a bad %s: refused, nothing changed', async (input, bad) => {
    const before = await containers();
    const run = await bed.rollback(bad);
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toMatch(new RegExp(`^rollback failed: ${input}: ".*" is not valid; `, 's'));
    expect(await bed.version()).toBe('2.0.0');
    expect(await containers()).toBe(before);
  });

  it('a broken release given a bad health path costs nothing: rollback still finds the previous release', async () => {
    const refused = await bed.deploy(images.broken, { 'health-path': 'health' });
    expect(refused.exitCode).toBe(1);
    const back = await bed.rollback();
    expect(back.exitCode, back.stdout).toBe(0);
    expect(back.stdout).toMatch(/rollback switched/);
    expect(await bed.version()).toBe('1.0.0');
  });
});
