import { renameSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blueGreenBed, buildImages, docker, otherColour, removeImages, type BlueGreenBed, type Variant } from '../support/blue-green-fixture.ts';

// Every fault of issue 3 on the real engine and routers; each must end with traffic on a healthy release.
const RELEASE = 'r\\d{14}-[0-9a-f]{12}';
let images: Record<Variant, string>;

beforeAll(async () => {
  images = await buildImages(`sidhe-itg-faults-${process.pid}`, ['v1', 'v2', 'exits', 'flaky']);
});
afterAll(() => removeImages(images));

describe('deploy faults behind HAProxy', () => {
  let bed: BlueGreenBed;
  beforeAll(async () => {
    bed = await blueGreenBed('haproxy', `faults${process.pid}`);
  });
  afterAll(() => bed.cleanup());

  // Each test starts from the release it needs serving (bed.serve deploys only when it is not), so
  // none depends on what another left.
  const stillOnV1 = async (run: { outputs: Record<string, string> }, colour: string) => {
    expect(run.outputs['active-color']).toBe(colour);
    expect(await bed.version()).toBe('1.0.0');
  };

  it('an image that does not exist and cannot be pulled', async () => {
    await bed.serve(images.v1);
    const run = await bed.deploy('127.0.0.1:9/nowhere/missing:1');
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toMatch(/^deploy-blue-green failed: image 127\.0\.0\.1:9\/nowhere\/missing:1 cannot be pulled/);
    expect(await bed.version()).toBe('1.0.0');
  });

  it('a container that exits at start, quoting its logs', async () => {
    const colour = await bed.serve(images.v1);
    const run = await bed.deploy(images.exits);
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toMatch(
      new RegExp(`exited at start with exit code 3: .*missing DATABASE_URL.*; traffic stayed on release ${RELEASE} \\(${images.v1}, ${colour}\\)`),
    );
    await stillOnV1(run, colour);
  });

  it('a release that turns unhealthy in the observation window is switched back by itself', async () => {
    const colour = await bed.serve(images.v1);
    const run = await bed.deploy(images.flaky, { 'switch-delay': '20s' });
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toMatch(
      new RegExp(
        `^deploy-blue-green failed: release ${RELEASE} turned unhealthy after the switch: .*; traffic was switched back to release ${RELEASE} \\(${images.v1}, ${colour}\\)`,
      ),
    );
    await stillOnV1(run, colour);
  });

  it('an unreachable Docker engine', async () => {
    await bed.serve(images.v1);
    const run = await bed.deploy(images.v2, { 'docker-host': 'unix:///nonexistent/docker.sock' });
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toContain('Docker engine at unix:///nonexistent/docker.sock is unreachable');
    expect(await bed.version()).toBe('1.0.0');
  });

  it('a router that cannot be reached changes nothing', async () => {
    await bed.serve(images.v1);
    const socket = new URL(bed.inputs['router-endpoint']!).pathname;
    renameSync(socket, `${socket}.away`);
    try {
      const run = await bed.deploy(images.v2);
      expect(run.exitCode).toBe(1);
      expect(run.errors[0]).toContain(socket);
      expect(await bed.version()).toBe('1.0.0');
    } finally {
      renameSync(`${socket}.away`, socket);
    }
  });

  it('a deploy SIGKILLed in the middle of the switch converges when run again', async () => {
    const idle = otherColour(await bed.serve(images.v1));
    const killed = await bed.deploy(images.v2, {}, { killWhenStdout: new RegExp(`switching traffic to ${idle}`) });
    expect(killed.exitCode).not.toBe(0);
    const version = await bed.version();
    expect(['1.0.0', '2.0.0']).toContain(version);

    const again = await bed.deploy(images.v2);
    expect(again.exitCode, again.stdout).toBe(0);
    expect(again.outputs['active-color']).toBe(idle);
    expect(await bed.version()).toBe('2.0.0');
  });

  it('two deploys at once never interleave: the second waits for the lock, then runs', async () => {
    await bed.serve(images.v2);
    const [a, b] = await Promise.all([bed.deploy(images.v1), bed.deploy(images.v1)]);
    expect([a.exitCode, b.exitCode]).toEqual([0, 0]);
    expect(`${a.stdout}${b.stdout}`).toMatch(/waiting for/);
    const outcomes = [a, b].map((run) => (run.stdout.includes('already runs') ? 'unchanged' : 'deployed')).sort();
    expect(outcomes).toEqual(['deployed', 'unchanged']);
    expect(await bed.version()).toBe('1.0.0');
  });

  it('a deploy that cannot get the lock in time fails naming the holder', async () => {
    // v1 serving, so the slow deploy of v2 has a switch to make (and holds the lock through its delay).
    await bed.serve(images.v1);
    const slow = bed.deploy(images.v2, { 'switch-delay': '5s' });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const hurried = await bed.deploy(images.v2, { 'lock-timeout': '1s' });
    expect(hurried.exitCode).toBe(1);
    expect(hurried.errors[0]).toMatch(/^deploy-blue-green failed: .* is held by .*pid \d+ since .*gave up waiting after 1s/);
    expect((await slow).exitCode).toBe(0);
    expect(await bed.version()).toBe('2.0.0');
  });
});

describe('a router that rejects the change (nginx refuses its configuration)', () => {
  let bed: BlueGreenBed;
  beforeAll(async () => {
    bed = await blueGreenBed('nginx', `reject${process.pid}`);
  });
  afterAll(() => bed.cleanup());

  it('leaves traffic on the live release and removes the new container', async () => {
    const colour = await bed.serve(images.v1);
    const restore = bed.breakRouterConfig();
    try {
      const run = await bed.deploy(images.v2);
      expect(run.exitCode).toBe(1);
      expect(run.errors[0]).toMatch(
        new RegExp(`refused the switch to release ${RELEASE}: .*this_is_not_a_directive.*; traffic stayed on release ${RELEASE} \\(${images.v1}, ${colour}\\)`),
      );
      expect(await bed.version()).toBe('1.0.0');
      const listed = await docker('ps', '-a', '--format', '{{.Names}}', '--filter', `name=sidhe-${bed.app}.itg-${otherColour(colour)}`);
      expect(listed.stdout.trim()).toBe('');
    } finally {
      restore();
    }
  });
});
