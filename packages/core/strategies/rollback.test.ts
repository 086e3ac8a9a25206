import { describe, expect, it } from 'vitest';
import type { ReleaseHistory } from '../deploy/release-history.ts';
import { ActionFailure } from '../errors.ts';
import { deployBlueGreen } from './blue-green-deploy.ts';
import { DeployFailure } from './deploy-failure.ts';
import { deployCanary } from './canary-deploy.ts';
import { rollbackRelease } from './rollback.ts';
import { canaryPorts, canarySettings } from './testing/canary-fixture.ts';
import type { FakeWorld } from './testing/fake-ports.ts';
import { alwaysHealthy, neverHealthy } from './testing/fake-prober.ts';
import {
  BLUE,
  BLUE_ADDRESS,
  changes,
  DIGEST,
  deployed,
  deploySettings,
  expectLockedThroughout,
  GREEN,
  IMAGE,
  named,
  nextReleaseId,
  rollbackSettings,
  shopWorld,
} from './testing/shop-fixture.ts';

const clearJournal = (w: FakeWorld): void => {
  w.journal.length = 0;
  w.events.length = 0;
};

describe('rollbackRelease', () => {
  it('switches to the previous release when it still runs: one probe and a router switch', async () => {
    const w = shopWorld();
    const [v1, v2] = await deployed(w, 'v1', 'v2');
    w.prober.answer(BLUE_ADDRESS, alwaysHealthy);
    const result = await rollbackRelease(rollbackSettings('previous', { reason: 'checkout errors' }), w.ports);

    expect(result.outcome).toBe('switched');
    expect(result.active.labels.release).toBe(v1!.labels.release);
    expect(result.durationMs).toBeLessThan(1_000);
    expect(w.prober.roundsAt(BLUE_ADDRESS)).toBe(1);
    expect(w.router.weights()).toEqual({ blue: 100, green: 0 });
    expect(w.target.snapshot()).toEqual({ [BLUE]: `running ${v1!.labels.release}`, [GREEN]: `running ${v2!.labels.release}` });
    // The whole change is one router switch: no container started, stopped or removed.
    expect(changes(w)).toEqual([`router apply blue=100@${BLUE_ADDRESS} green=0`]);
    expect(w.events).toEqual(['rollback.started', 'rollback.succeeded']);
    expectLockedThroughout(w);
  });

  it('restarts the previous release when it runs but fails its probe for 10s', async () => {
    const w = shopWorld();
    const [v1, v2] = await deployed(w, 'v1', 'v2');
    w.prober.answer(BLUE_ADDRESS, (round) => round > 10); // the probe's 10 rounds fail, the restart's 3 pass
    const result = await rollbackRelease(rollbackSettings('previous'), w.ports);

    expect(result.outcome).toBe('restarted');
    expect(result.active.labels).toMatchObject({ release: v1!.labels.release, colour: 'blue', image: IMAGE.v1 });
    expect(w.prober.roundsAt(BLUE_ADDRESS)).toBe(13);
    expect(w.logger.lines.some((line) => line.startsWith(`warning ${named(v1!)} runs but is not healthy (`))).toBe(true);
    expect(w.journal).toContain(`remove ${BLUE}`);
    expect(w.router.weights()).toEqual({ blue: 100, green: 0 });
    expect(w.target.snapshot()).toEqual({ [BLUE]: `running ${v1!.labels.release}`, [GREEN]: `running ${v2!.labels.release}` });
    expectLockedThroughout(w);
  });

  it('restarts the previous release in the idle colour from the live labels when its container is gone', async () => {
    const w = shopWorld();
    const [v1, v2] = await deployed(w, 'v1', 'v2');
    await w.target.remove(BLUE);
    clearJournal(w);
    const result = await rollbackRelease(rollbackSettings('previous'), w.ports);

    expect(result.outcome).toBe('restarted');
    expect(result.active.labels).toMatchObject({
      release: v1!.labels.release,
      colour: 'blue',
      image: IMAGE.v1,
      imageDigest: DIGEST.v1,
      port: 8001,
      previousRelease: v2!.labels.release,
      previousImage: IMAGE.v2,
    });
    expect(w.router.weights()).toEqual({ blue: 100, green: 0 });
    expect(w.target.snapshot()).toEqual({ [BLUE]: `running ${v1!.labels.release}`, [GREEN]: `running ${v2!.labels.release}` });
    expect(w.journal).toContain(`pull ${IMAGE.v1}`);
    expect(w.journal).toContain(`start ${BLUE} ${v1!.labels.release}`);
    expectLockedThroughout(w);
  });

  it('restarts a previous release stopped by keep-previous false, keeping its release id', async () => {
    const w = shopWorld();
    const [v1] = await deployed(w, 'v1');
    const v2 = (await deployBlueGreen(deploySettings(IMAGE.v2, { keepPrevious: false }), w.ports)).active;
    clearJournal(w);
    const result = await rollbackRelease(rollbackSettings('previous'), w.ports);

    expect(result.outcome).toBe('restarted');
    expect(result.active.labels.release).toBe(v1!.labels.release);
    expect(w.router.weights()).toEqual({ blue: 100, green: 0 });
    expect(w.target.snapshot()).toEqual({ [BLUE]: `running ${v1!.labels.release}`, [GREEN]: `running ${v2.labels.release}` });
    expectLockedThroughout(w);
  });

  it('restarts a stopped previous release with the env it ran with when rollback is given none', async () => {
    const w = shopWorld();
    await deployBlueGreen(deploySettings(IMAGE.v1, { env: { DATABASE_URL: 'postgres://db/v1' } }), w.ports);
    await deployBlueGreen(deploySettings(IMAGE.v2, { keepPrevious: false, env: { DATABASE_URL: 'postgres://db/v2' } }), w.ports);
    const { env: _given, ...withoutEnv } = rollbackSettings('previous');
    const result = await rollbackRelease(withoutEnv, w.ports);

    expect(result.outcome).toBe('restarted');
    expect(w.target.envs.get(BLUE)).toEqual({ DATABASE_URL: 'postgres://db/v1' });
  });

  it('rolls back to a release id kept in the idle colour', async () => {
    const w = shopWorld();
    const [v1] = await deployed(w, 'v1', 'v2');
    const result = await rollbackRelease(rollbackSettings(v1!.labels.release), w.ports);

    expect(result.outcome).toBe('switched');
    expect(result.active.labels.release).toBe(v1!.labels.release);
    expect(w.router.weights()).toEqual({ blue: 100, green: 0 });
    expectLockedThroughout(w);
  });

  it('refuses a release id that is not recorded, listing the recorded ones', async () => {
    const w = shopWorld();
    const [v1, v2] = await deployed(w, 'v1', 'v2');
    const failure = await rollbackRelease(rollbackSettings('r20240101000000-abcdefabcdef'), w.ports).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(ActionFailure);
    expect(failure).not.toBeInstanceOf(DeployFailure);
    expect((failure as Error).message).toBe(
      'release r20240101000000-abcdefabcdef is not recorded on fake Docker engine; recorded releases: ' +
        `${v1!.labels.release} (${IMAGE.v1}, blue, running), ${v2!.labels.release} (${IMAGE.v2}, green, running)`,
    );
    expect(changes(w)).toEqual([]);
    expect(w.router.weights()).toEqual({ blue: 0, green: 100 });
    expect(w.events).toEqual(['rollback.started', 'rollback.failed']);
    expectLockedThroughout(w);
  });

  it('changes nothing when `to` is the live release', async () => {
    const w = shopWorld();
    const [, v2] = await deployed(w, 'v1', 'v2');
    const result = await rollbackRelease(rollbackSettings(v2!.labels.release), w.ports);

    expect(result.outcome).toBe('unchanged');
    expect(result.active.labels.release).toBe(v2!.labels.release);
    expect(changes(w)).toEqual([]);
    expect(w.router.weights()).toEqual({ blue: 0, green: 100 });
    expectLockedThroughout(w);
  });

  it('says clearly that no previous release is recorded after a single deploy', async () => {
    const w = shopWorld();
    const [v1] = await deployed(w, 'v1');
    const failure = await rollbackRelease(rollbackSettings('previous'), w.ports).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(ActionFailure);
    expect((failure as Error).message).toBe(
      `no previous release is recorded for ${named(v1!)} on fake Docker engine; recorded releases: ${v1!.labels.release} (${IMAGE.v1}, blue, running)`,
    );
    expect(w.router.weights()).toEqual({ blue: 100, green: 0 });
    expectLockedThroughout(w);
  });

  it('falls back on the deployment history when the host records no previous release', async () => {
    const w = shopWorld();
    const [v1] = await deployed(w, 'v1');
    const asked: unknown[] = [];
    const history: ReleaseHistory = {
      describe: () => 'fake history',
      previousRelease: async (query) => {
        asked.push(query);
        return { release: 'r20260101-000000-feedfacecafe', image: IMAGE.v2, commit: 'c0ffee', deployedAt: '2026-01-01T00:00:00.000Z' };
      },
    };
    clearJournal(w);
    const result = await rollbackRelease(rollbackSettings('previous'), { ...w.ports, history });

    expect(asked).toEqual([{ app: 'shop', environment: 'production', current: v1!.labels.release }]);
    expect(result.outcome).toBe('restarted');
    expect(result.active.labels).toMatchObject({
      release: 'r20260101-000000-feedfacecafe',
      image: IMAGE.v2,
      colour: 'green',
      commit: 'c0ffee',
      previousRelease: v1!.labels.release,
    });
    expect(w.journal).toContain(`pull ${IMAGE.v2}`);
    expect(w.router.weights()).toEqual({ blue: 0, green: 100 });
    expect(w.logger.lines).toContain(`info fake Docker engine records no previous release; fake history names r20260101-000000-feedfacecafe (${IMAGE.v2})`);
    expectLockedThroughout(w);
  });

  it('names the history it asked when neither it nor the host knows a previous release', async () => {
    const w = shopWorld();
    const history: ReleaseHistory = { describe: () => 'fake history', previousRelease: async () => undefined };
    const failure = await rollbackRelease(rollbackSettings('previous'), { ...w.ports, history }).catch((e: unknown) => e);

    expect((failure as Error).message).toBe(
      'no previous release is recorded for no release on fake Docker engine; fake history has none either; recorded releases: none',
    );
  });

  it('says clearly that nothing is recorded before the first deploy', async () => {
    const w = shopWorld();
    const failure = await rollbackRelease(rollbackSettings('previous'), w.ports).catch((e: unknown) => e);

    expect((failure as Error).message).toBe('no previous release is recorded for no release on fake Docker engine; recorded releases: none');
    expectLockedThroughout(w);
  });

  it('deploys an image reference like a new release in the idle colour', async () => {
    const w = shopWorld();
    const [, v2] = await deployed(w, 'v1', 'v2');
    const id = nextReleaseId(w, DIGEST.v3);
    const result = await rollbackRelease(rollbackSettings(IMAGE.v3), w.ports);

    expect(result.outcome).toBe('restarted');
    expect(result.active.labels).toMatchObject({
      release: id,
      colour: 'blue',
      image: IMAGE.v3,
      imageDigest: DIGEST.v3,
      previousRelease: v2!.labels.release,
      previousImage: IMAGE.v2,
    });
    expect(w.router.weights()).toEqual({ blue: 100, green: 0 });
    expect(w.router.addresses().blue).toBe(BLUE_ADDRESS);
    expect(w.target.snapshot()).toEqual({ [BLUE]: `running ${id}`, [GREEN]: `running ${v2!.labels.release}` });
    expectLockedThroughout(w);
  });

  it('keeps traffic where it was and names the release when the restarted one never becomes healthy', async () => {
    const w = shopWorld();
    const [v1, v2] = await deployed(w, 'v1', 'v2');
    await w.target.remove(BLUE);
    clearJournal(w);
    w.prober.answer(BLUE_ADDRESS, neverHealthy);
    const failure = await rollbackRelease(rollbackSettings('previous'), w.ports).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(DeployFailure);
    expect((failure as Error).message).toMatch(
      new RegExp(
        `^rollback to release ${v1!.labels.release} \\(${IMAGE.v1}, blue\\) failed: release ${v1!.labels.release} did not become healthy within 30s: .*; ` +
          `traffic stayed on release ${v2!.labels.release} \\(${IMAGE.v2}, green\\); the new container was removed$`,
      ),
    );
    expect((failure as DeployFailure).serving?.labels.release).toBe(v2!.labels.release);
    expect(w.router.weights()).toEqual({ blue: 0, green: 100 });
    expect(w.target.snapshot()).toEqual({ [GREEN]: `running ${v2!.labels.release}` });
    expectLockedThroughout(w);
  });

  it('touches nothing when the lock cannot be had', async () => {
    const w = shopWorld();
    await deployed(w, 'v1', 'v2');
    w.lock.refuse('lock shop/production is held by acme/shop run 41; gave up waiting after 10m');
    const failure = await rollbackRelease(rollbackSettings('previous'), w.ports).catch((e: unknown) => e);

    expect((failure as Error).message).toBe('lock shop/production is held by acme/shop run 41; gave up waiting after 10m');
    // Nothing is read or changed without the lock: the one call is the attempt to take it.
    expect(w.journal).toEqual(['lock acquire']);
    expect(w.router.weights()).toEqual({ blue: 0, green: 100 });
  });

  it('names the router and says traffic stayed when the router refuses the rollback switch', async () => {
    const w = shopWorld();
    const [v1, v2] = await deployed(w, 'v1', 'v2');
    w.router.refuse('backend is read-only');
    const failure = await rollbackRelease(rollbackSettings('previous'), w.ports).catch((e: unknown) => e);

    expect(w.router.weights()).toEqual({ blue: 0, green: 100 });
    expect(failure).toBeInstanceOf(DeployFailure);
    expect((failure as Error).message).toBe(
      `rollback to ${named(v1!)} failed: fake HAProxy backend shop-production refused the switch: backend is read-only; traffic stayed on ${named(v2!)}`,
    );
  });

  it('needs neither ports nor health path: it takes those the deploys recorded', async () => {
    const w = shopWorld();
    for (const image of [IMAGE.v1, IMAGE.v2])
      await deployBlueGreen(deploySettings(image, { ports: { blue: 8101, green: 8102 }, health: { path: '/ready', intervalMs: 1_000 } }), w.ports);
    // v1's container is gone: its port comes from the router's blue slot, its health path from v2's record.
    await w.target.remove(BLUE);
    const { ports: _ports, ...settings } = rollbackSettings('previous', { health: { intervalMs: 1_000 } });
    const result = await rollbackRelease(settings, w.ports);

    expect(result.outcome).toBe('restarted');
    expect(result.active.labels).toMatchObject({ colour: 'blue', port: 8101, healthPath: '/ready' });
    expect(w.router.addresses().blue).toBe('127.0.0.1:8101');
    expect(w.prober.roundsAt('127.0.0.1:8101')).toBeGreaterThan(0);
  });

  it("asks for ports when no release and no router slot records the idle colour's", async () => {
    const w = shopWorld();
    await deployed(w, 'v1');
    const { ports: _ports, ...settings } = rollbackSettings(IMAGE.v2);
    const failure = await rollbackRelease(settings, w.ports).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(ActionFailure);
    expect((failure as Error).message).toBe(
      'no release records the port of the green slot, and fake HAProxy backend shop-production has no address for it: give `ports` (blue,green)',
    );
    expect(w.router.weights()).toEqual({ blue: 100, green: 0 });
  });

  it('with a canary sharing traffic, gives the stable release all of it back', async () => {
    const w = shopWorld();
    const [v1] = await deployed(w, 'v1');
    const paused = await deployCanary(canarySettings(IMAGE.v2, { autoPromote: false }), canaryPorts(w));
    expect(w.router.weights()).toEqual({ blue: 50, green: 50 });
    const result = await rollbackRelease(rollbackSettings('previous'), w.ports);

    expect(result.outcome).toBe('switched');
    expect(result.active.labels.release).toBe(v1!.labels.release);
    expect(w.router.weights()).toEqual({ blue: 100, green: 0 });
    expect(w.target.snapshot()).toEqual({ [BLUE]: `running ${v1!.labels.release}`, [GREEN]: `running ${paused.canary!.labels.release}` });
  });
});
