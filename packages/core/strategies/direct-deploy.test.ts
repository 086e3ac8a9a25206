import { describe, expect, it } from 'vitest';
import { DeployFailure } from './deploy-failure.ts';
import { deployDirect, type DirectSettings } from './direct-deploy.ts';
import { rollbackRelease } from './rollback.ts';
import { neverHealthy } from './testing/fake-prober.ts';
import type { FakeWorld } from './testing/fake-ports.ts';
import {
  BLUE,
  BLUE_ADDRESS,
  DIGEST,
  expectLockedThroughout,
  GREEN,
  GREEN_ADDRESS,
  IMAGE,
  nextReleaseId,
  rollbackSettings,
  shopWorld,
} from './testing/shop-fixture.ts';

const ENV = { v1: { DATABASE_URL: 'postgres://db/one' }, v2: { DATABASE_URL: 'postgres://db/two' } };

function settings(image: string, overrides: Partial<DirectSettings> = {}): DirectSettings {
  return {
    app: 'shop',
    environment: 'production',
    image,
    env: ENV.v2,
    ports: { blue: 8001, green: 8002 },
    routed: true,
    health: { path: '/health', intervalMs: 1_000 },
    healthTimeoutMs: 30_000,
    observeMs: 0,
    lock: { owner: 'acme/shop run 42', timeoutMs: 600_000 },
    ...overrides,
  };
}

/** v1 deployed directly with its own env, then the journal and events cleared for the step under test. */
async function v1Serving(w: FakeWorld, routed: boolean) {
  const { active } = await deployDirect(settings(IMAGE.v1, { env: ENV.v1, routed }), w.ports);
  w.journal.length = 0;
  w.events.length = 0;
  return active;
}

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error as DeployFailure,
  );

describe('deployDirect behind a router', () => {
  it('starts the new release in the idle colour, sends it all traffic, then stops the old one (no instant rollback)', async () => {
    const w = shopWorld();
    const v1 = await v1Serving(w, true);
    const id = nextReleaseId(w, DIGEST.v2);
    const result = await deployDirect(settings(IMAGE.v2), w.ports);

    expect(result.outcome).toBe('deployed');
    expect(result.active.labels).toMatchObject({ colour: 'green', release: id, port: 8002, previousRelease: v1.labels.release, previousImage: IMAGE.v1 });
    expect(w.router.weights()).toEqual({ blue: 0, green: 100 });
    expect(w.router.addresses().green).toBe(GREEN_ADDRESS);
    expect(w.target.snapshot()).toEqual({ [BLUE]: `exited ${v1.labels.release}`, [GREEN]: `running ${id}` });
    // Order is the contract: the old release stops only once traffic has left it.
    expect(w.journal.indexOf(`router apply green=100@${GREEN_ADDRESS} blue=0`)).toBeLessThan(w.journal.indexOf(`stop ${BLUE}`));
    expect(w.logger.lines).toContain(`info stopping release ${v1.labels.release} (${IMAGE.v1}, blue): a direct deploy keeps no instant rollback`);
    expect(w.events).toEqual(['deploy.started', 'deploy.release_started', 'deploy.healthy', 'deploy.switched', 'deploy.succeeded']);
    expect(result.unreachableMs).toBeUndefined();
    expectLockedThroughout(w);
  });

  it('leaves the previous release serving when the new one never gets healthy, and records the failure', async () => {
    const w = shopWorld();
    const v1 = await v1Serving(w, true);
    w.prober.answer(GREEN_ADDRESS, neverHealthy);
    const failure = await rejection(deployDirect(settings(IMAGE.v2, { healthTimeoutMs: 5_000 }), w.ports));

    expect(failure).toBeInstanceOf(DeployFailure);
    expect(failure!.message).toMatch(/did not become healthy within 5s: .*; traffic stayed on release .* \(ghcr\.io\/acme\/shop:1\.0\.0, blue\)/);
    expect(failure!.serving?.labels.release).toBe(v1.labels.release);
    expect(w.router.weights()).toEqual({ blue: 100, green: 0 });
    expect(w.target.snapshot()).toEqual({ [BLUE]: `running ${v1.labels.release}` });
    expect(w.events.at(-1)).toBe('deploy.failed');
    expectLockedThroughout(w);
  });

  it('is rolled back by restarting the stopped previous release with the env it ran with', async () => {
    const w = shopWorld();
    const v1 = await v1Serving(w, true);
    await deployDirect(settings(IMAGE.v2), w.ports);
    const back = await rollbackRelease(rollbackSettings('previous', { env: undefined }), w.ports);

    expect(back.outcome).toBe('restarted');
    expect(back.active.labels).toMatchObject({ release: v1.labels.release, colour: 'blue', image: IMAGE.v1 });
    expect(w.router.weights()).toEqual({ blue: 100, green: 0 });
    expect(w.target.envs.get(BLUE)).toEqual(ENV.v1);
  });

  it('changes nothing when the live release already runs the image with this env', async () => {
    const w = shopWorld();
    const v1 = await v1Serving(w, true);
    const result = await deployDirect(settings(IMAGE.v1, { env: ENV.v1 }), w.ports);
    expect(result.outcome).toBe('unchanged');
    expect(result.active.labels.release).toBe(v1.labels.release);
    expect(w.events).toEqual(['deploy.started', 'deploy.unchanged']);
  });
});

describe('deployDirect without a router', () => {
  it('stops the old release, starts the new one on the same port and measures how long nothing answered', async () => {
    const w = shopWorld();
    const v1 = await v1Serving(w, false);
    expect(v1.labels).toMatchObject({ colour: 'blue', port: 8001 });
    const id = nextReleaseId(w, DIGEST.v2);
    const result = await deployDirect(settings(IMAGE.v2, { routed: false }), w.ports);

    expect(result.active.labels).toMatchObject({ colour: 'green', release: id, port: 8001, previousRelease: v1.labels.release });
    expect(w.target.snapshot()).toEqual({ [BLUE]: `exited ${v1.labels.release}`, [GREEN]: `running ${id}` });
    // Order is the contract: both use one port, so the old release stops before the new one starts.
    expect(w.journal.indexOf(`stop ${BLUE}`)).toBeLessThan(w.journal.indexOf(`start ${GREEN} ${id}`));
    expect(w.journal.some((line) => line.startsWith('router'))).toBe(false);
    // One probe round of the fake prober (20 ms) until the new release answered.
    expect(result.unreachableMs).toBe(w.prober.roundMs);
    expect(w.logger.lines.at(-1)).toMatch(/unreachable for 20 ms\)$/);
    expectLockedThroughout(w);
  });

  it('starts the previous release again, with its own env, when the new one never answers', async () => {
    const w = shopWorld();
    const v1 = await v1Serving(w, false);
    w.prober.answer(BLUE_ADDRESS, neverHealthy);
    const failure = await rejection(deployDirect(settings(IMAGE.v2, { routed: false, healthTimeoutMs: 2_000 }), w.ports));

    expect(failure!.message).toMatch(
      /^release r\S+ did not become healthy within 2s: .*; the new container was removed; release \S+ \(ghcr\.io\/acme\/shop:1\.0\.0, blue\) serves again \(unreachable for \d+ ms\)$/,
    );
    expect(failure!.serving?.labels.release).toBe(v1.labels.release);
    expect(w.target.snapshot()).toEqual({ [BLUE]: `running ${v1.labels.release}` });
    expect(w.target.envs.get(BLUE)).toEqual(ENV.v1);
    expect(w.events).toEqual(['deploy.started', 'deploy.release_started', 'deploy.switched_back', 'deploy.failed']);
    expectLockedThroughout(w);
  });

  it('starts the previous release again when the new one exits at start', async () => {
    const w = shopWorld();
    const v1 = await v1Serving(w, false);
    const failure = await rejection(deployDirect(settings(IMAGE.crashing, { routed: false }), w.ports));

    expect(failure!.message).toContain('exited at start with exit code 1: Error: DATABASE_URL is not set; the new container was removed;');
    expect(w.target.snapshot()).toEqual({ [BLUE]: `running ${v1.labels.release}` });
  });

  it('replaces the release stopped by the deploy before last', async () => {
    const w = shopWorld();
    await v1Serving(w, false);
    await deployDirect(settings(IMAGE.v2, { routed: false }), w.ports);
    const id = nextReleaseId(w, DIGEST.v3);
    const third = await deployDirect(settings(IMAGE.v3, { routed: false }), w.ports);
    expect(third.active.labels).toMatchObject({ colour: 'blue', release: id, port: 8001 });
    expect(Object.values(w.target.snapshot()).filter((s) => s.startsWith('running'))).toEqual([`running ${id}`]);
  });
});
