import { describe, expect, it } from 'vitest';
import { deployBlueGreen } from './blue-green-deploy.ts';
import { unhealthyFrom } from './testing/fake-prober.ts';
import {
  BLUE,
  BLUE_ADDRESS,
  changes,
  DIGEST,
  deployed,
  deploySettings,
  expectLockedThroughout,
  GREEN,
  GREEN_ADDRESS,
  IMAGE,
  named,
  nextReleaseId,
  shopWorld,
} from './testing/shop-fixture.ts';

describe('deployBlueGreen', () => {
  it('puts the first release in blue and sends it all traffic', async () => {
    const w = shopWorld();
    const id = nextReleaseId(w, DIGEST.v1);
    const result = await deployBlueGreen(deploySettings(IMAGE.v1), w.ports);

    expect(result.outcome).toBe('deployed');
    expect(result.active.labels).toMatchObject({ colour: 'blue', release: id, image: IMAGE.v1, imageDigest: DIGEST.v1, port: 8001 });
    expect(result.active.labels.previousRelease).toBeUndefined();
    expect(result.previous).toBeUndefined();
    expect(result.proof?.healthy).toBe(true);
    expect(result.observation?.healthy).toBe(true);
    expect(w.router.weights()).toEqual({ blue: 100, green: 0 });
    expect(w.router.addresses().blue).toBe(BLUE_ADDRESS);
    expect(w.target.snapshot()).toEqual({ [BLUE]: `running ${id}` });
    // Order is the contract: traffic goes only to a release already started (and proven healthy, as
    // deploy.healthy before deploy.switched below says).
    expect(changes(w)).toEqual([`start ${BLUE} ${id}`, `router apply blue=100@${BLUE_ADDRESS} green=0`]);
    expect(w.lock.acquiredWith).toEqual({ owner: 'acme/shop run 42', timeoutMs: 600_000 });
    expect(w.events).toEqual(['deploy.started', 'deploy.release_started', 'deploy.healthy', 'deploy.switched', 'deploy.succeeded']);
    expectLockedThroughout(w);
  });

  it('puts the second release in green, records the first as previous and keeps it running', async () => {
    const w = shopWorld();
    const [v1] = await deployed(w, 'v1');
    const id = nextReleaseId(w, DIGEST.v2);
    const result = await deployBlueGreen(deploySettings(IMAGE.v2), w.ports);

    expect(result.outcome).toBe('deployed');
    expect(result.active.labels).toMatchObject({
      colour: 'green',
      release: id,
      image: IMAGE.v2,
      port: 8002,
      previousRelease: v1!.labels.release,
      previousImage: IMAGE.v1,
    });
    expect(result.previous?.labels.release).toBe(v1!.labels.release);
    expect(w.router.weights()).toEqual({ blue: 0, green: 100 });
    expect(w.router.addresses()).toEqual({ blue: BLUE_ADDRESS, green: GREEN_ADDRESS });
    expect(w.target.snapshot()).toEqual({ [BLUE]: `running ${v1!.labels.release}`, [GREEN]: `running ${id}` });
    expectLockedThroughout(w);
  });

  it('replaces the release kept in the idle colour with the third', async () => {
    const w = shopWorld();
    const [, v2] = await deployed(w, 'v1', 'v2');
    const id = nextReleaseId(w, DIGEST.v3);
    const result = await deployBlueGreen(deploySettings(IMAGE.v3), w.ports);

    expect(result.active.labels).toMatchObject({ colour: 'blue', release: id, previousRelease: v2!.labels.release, previousImage: IMAGE.v2 });
    expect(w.router.weights()).toEqual({ blue: 100, green: 0 });
    expect(w.target.snapshot()).toEqual({ [BLUE]: `running ${id}`, [GREEN]: `running ${v2!.labels.release}` });
    expect(w.journal).toContain(`remove ${BLUE}`);
    expectLockedThroughout(w);
  });

  it('re-deploying the live image changes nothing and says so', async () => {
    const w = shopWorld();
    const [v1, v2] = await deployed(w, 'v1', 'v2');
    const result = await deployBlueGreen(deploySettings(IMAGE.v2), w.ports);

    expect(result.outcome).toBe('unchanged');
    expect(result.active.labels.release).toBe(v2!.labels.release);
    expect(result.previous?.labels.release).toBe(v1!.labels.release);
    expect(w.router.weights()).toEqual({ blue: 0, green: 100 });
    expect(changes(w)).toEqual([]);
    expect(w.logger.lines).toContain(`info ${named(v2!)} already runs ${IMAGE.v2} with this env: nothing to deploy`);
    expect(w.events).toEqual(['deploy.started', 'deploy.unchanged']);
    expectLockedThroughout(w);
  });

  it('re-deploying the live image with another env is a deploy: the rotated secret takes effect', async () => {
    const w = shopWorld();
    const [, v2] = await deployed(w, 'v1', 'v2');
    const rotated = { DATABASE_URL: 'postgres://db/shop?password=rotated' };
    const result = await deployBlueGreen(deploySettings(IMAGE.v2, { env: rotated }), w.ports);

    expect(result.outcome).toBe('deployed');
    expect(result.active.labels.colour).toBe('blue');
    expect(result.active.labels.envHash).not.toBe(v2!.labels.envHash);
    expect(result.active.labels.envHash).toMatch(/^[0-9a-f]{16}$/);
    expect(w.target.envs.get(BLUE)).toEqual(rotated);
    expect(w.router.weights()).toEqual({ blue: 100, green: 0 });
    expect(JSON.stringify(result.active.labels)).not.toContain('rotated');
  });

  it('completes a half-finished switch (equal weights) to the live release when its image is re-deployed', async () => {
    const w = shopWorld();
    const [, v2] = await deployed(w, 'v1', 'v2');
    w.router.set('blue', BLUE_ADDRESS, 50);
    w.router.set('green', GREEN_ADDRESS, 50);
    const result = await deployBlueGreen(deploySettings(IMAGE.v2), w.ports);

    expect(result.outcome).toBe('unchanged');
    expect(result.active.labels.release).toBe(v2!.labels.release);
    expect(w.router.weights()).toEqual({ blue: 0, green: 100 });
    expect(w.router.addresses().green).toBe(GREEN_ADDRESS);
    expectLockedThroughout(w);
  });

  it('completes a half-finished switch left at 100/100 (raised, not yet lowered) on re-deploy', async () => {
    const w = shopWorld();
    await deployed(w, 'v1', 'v2');
    w.router.set('blue', BLUE_ADDRESS, 100);
    w.router.set('green', GREEN_ADDRESS, 100);
    const result = await deployBlueGreen(deploySettings(IMAGE.v2), w.ports);

    expect(result.outcome).toBe('unchanged');
    expect(w.router.weights()).toEqual({ blue: 0, green: 100 });
  });

  it('a new image after a half-finished switch never removes a container that still takes traffic', async () => {
    const w = shopWorld();
    await deployed(w, 'v1', 'v2');
    w.router.set('blue', BLUE_ADDRESS, 100);
    w.router.set('green', GREEN_ADDRESS, 100);
    await deployBlueGreen(deploySettings(IMAGE.v3), w.ports);

    expect(w.target.takenDownWhileRouted).toEqual([]);
  });

  it('stops the previous release (keeping its container) when keep-previous is false', async () => {
    const w = shopWorld();
    const [v1] = await deployed(w, 'v1');
    const id = nextReleaseId(w, DIGEST.v2);
    const result = await deployBlueGreen(deploySettings(IMAGE.v2, { keepPrevious: false }), w.ports);

    expect(result.outcome).toBe('deployed');
    expect(w.router.weights()).toEqual({ blue: 0, green: 100 });
    expect(w.target.snapshot()).toEqual({ [BLUE]: `exited ${v1!.labels.release}`, [GREEN]: `running ${id}` });
    expect(w.journal).toContain(`stop ${BLUE}`);
    expect(w.journal).not.toContain(`remove ${BLUE}`);
    expectLockedThroughout(w);
  });

  it('skips the observation when switch-delay is 0', async () => {
    const w = shopWorld();
    await deployed(w, 'v1');
    w.prober.answer(GREEN_ADDRESS, unhealthyFrom(4)); // would fail the first observed round
    const result = await deployBlueGreen(deploySettings(IMAGE.v2, { switchDelayMs: 0 }), w.ports);

    expect(result.outcome).toBe('deployed');
    expect(result.observation).toBeUndefined();
    expect(w.prober.roundsAt(GREEN_ADDRESS)).toBe(3);
    expect(w.router.weights()).toEqual({ blue: 0, green: 100 });
    expect(w.journal.filter((line) => line === 'lock refresh')).toHaveLength(1);
    expectLockedThroughout(w);
  });
});
