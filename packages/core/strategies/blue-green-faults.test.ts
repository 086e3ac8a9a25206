import { describe, expect, it } from 'vitest';
import { deployBlueGreen } from './blue-green-deploy.ts';
import { DeployFailure } from './deploy-failure.ts';
import { neverHealthy, unhealthyFrom } from './testing/fake-prober.ts';
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

const PROBE_DOWN =
  'http://127.0.0.1:8002/health: success rate 0% is below min-success-rate 100% (3 of 3 samples failed; last: status 503 is outside expected-status 200-399)';

describe('deployBlueGreen faults: each ends with traffic on a healthy release, or says why not', () => {
  it('refuses a container that exits at start: traffic stays, the container is removed', async () => {
    const w = shopWorld();
    const [v1] = await deployed(w, 'v1');
    const id = nextReleaseId(w, DIGEST.crashing);
    const failure = await deployBlueGreen(deploySettings(IMAGE.crashing), w.ports).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(DeployFailure);
    expect((failure as DeployFailure).message).toBe(
      `container ${GREEN} (${id}) exited at start with exit code 1: Error: DATABASE_URL is not set; traffic stayed on ${named(v1!)}`,
    );
    expect((failure as DeployFailure).serving?.labels.release).toBe(v1!.labels.release);
    expect(w.router.weights()).toEqual({ blue: 100, green: 0 });
    expect(w.router.applied).toHaveLength(1); // the first deploy's
    expect(w.target.snapshot()).toEqual({ [BLUE]: `running ${v1!.labels.release}` });
    expect(w.events.at(-1)).toBe('deploy.failed');
    expectLockedThroughout(w);
  });

  it('puts back the release it replaced in the idle colour when the new one exits at start', async () => {
    const w = shopWorld();
    const [v1, v2] = await deployed(w, 'v1', 'v2');
    const failure = await deployBlueGreen(deploySettings(IMAGE.crashing), w.ports).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(DeployFailure);
    expect((failure as Error).message).toMatch(new RegExp(`; traffic stayed on release ${v2!.labels.release} \\(${IMAGE.v2}, green\\)$`));
    expect(w.router.weights()).toEqual({ blue: 0, green: 100 });
    expect(w.target.snapshot()).toEqual({ [BLUE]: `running ${v1!.labels.release}`, [GREEN]: `running ${v2!.labels.release}` });
    expect(w.target.containers.get(BLUE)?.labels).toEqual(v1!.labels);
    expectLockedThroughout(w);
  });

  it("puts back the replaced release with its own env, not the refused deploy's", async () => {
    const w = shopWorld();
    await deployed(w, 'v1', 'v2');
    const v1Env = w.target.envs.get(BLUE);
    await deployBlueGreen(deploySettings(IMAGE.crashing, { env: { DATABASE_URL: 'postgres://db/other' } }), w.ports).catch(() => undefined);

    expect(w.target.envs.get(BLUE)).toEqual(v1Env);
    expect(v1Env).toEqual({ DATABASE_URL: 'postgres://db/shop' });
  });

  it('fails before starting anything when the image cannot be pulled', async () => {
    const w = shopWorld();
    const [v1] = await deployed(w, 'v1');
    const missing = 'ghcr.io/acme/shop:9.9.9';
    const failure = await deployBlueGreen(deploySettings(missing), w.ports).catch((e: unknown) => e);

    expect((failure as Error).message).toBe(`image ${missing} cannot be pulled to the fake Docker engine, which does not have it: manifest unknown`);
    expect(changes(w)).toEqual([]);
    expect(w.router.weights()).toEqual({ blue: 100, green: 0 });
    expect(w.target.snapshot()).toEqual({ [BLUE]: `running ${v1!.labels.release}` });
    expect(w.events).toEqual(['deploy.started', 'deploy.failed']);
    expectLockedThroughout(w);
  });

  it('refuses a release never healthy within health-timeout: new container removed, weights unchanged', async () => {
    const w = shopWorld();
    const [v1] = await deployed(w, 'v1');
    w.prober.answer(GREEN_ADDRESS, neverHealthy);
    const id = nextReleaseId(w, DIGEST.v2);
    const failure = await deployBlueGreen(deploySettings(IMAGE.v2), w.ports).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(DeployFailure);
    expect((failure as Error).message).toBe(
      `release ${id} did not become healthy within 30s: ${PROBE_DOWN} (round 30); ` +
        'not healthy for 3 consecutive rounds within timeout 30s (30 rounds, longest healthy run 0); ' +
        `traffic stayed on ${named(v1!)}; the new container was removed`,
    );
    // Read before the removal, for the failure summary.
    expect((failure as DeployFailure).evidence).toMatchObject({ name: GREEN, state: 'running', exitCode: 0 });
    expect(w.router.weights()).toEqual({ blue: 100, green: 0 });
    expect(w.router.applied).toHaveLength(1);
    expect(w.target.snapshot()).toEqual({ [BLUE]: `running ${v1!.labels.release}` });
    expectLockedThroughout(w);
  });

  it('restores traffic on the live colour and removes the new container when the router refuses the switch', async () => {
    const w = shopWorld();
    const [v1] = await deployed(w, 'v1');
    const refusal = 'fake HAProxy backend shop-production: set weight shop-production/green 100 failed: permission denied; nothing changed';
    w.router.refuse(refusal);
    const id = nextReleaseId(w, DIGEST.v2);
    const failure = await deployBlueGreen(deploySettings(IMAGE.v2), w.ports).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(DeployFailure);
    expect((failure as Error).message).toBe(
      `fake HAProxy backend shop-production refused the switch to release ${id}: ${refusal}; traffic stayed on ${named(v1!)}`,
    );
    expect(w.router.weights()).toEqual({ blue: 100, green: 0 });
    expect(w.journal).toContain(`router apply blue=100@${BLUE_ADDRESS} green=0`);
    expect(w.target.snapshot()).toEqual({ [BLUE]: `running ${v1!.labels.release}` });
    expectLockedThroughout(w);
  });

  it('says so in the log when the router refuses to put traffic back too', async () => {
    const w = shopWorld();
    const [v1] = await deployed(w, 'v1');
    w.router.refuse('backend is read-only', 2);
    const failure = await deployBlueGreen(deploySettings(IMAGE.v2), w.ports).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(DeployFailure);
    expect(w.logger.lines).toContain(`error could not put traffic back on ${named(v1!)}: backend is read-only`);
    expect(w.router.weights()).toEqual({ blue: 100, green: 0 });
    expect(w.target.snapshot()).toEqual({ [BLUE]: `running ${v1!.labels.release}` });
    expectLockedThroughout(w);
  });

  it('keeps the refusal and where traffic stayed when removing the refused release fails too', async () => {
    const w = shopWorld();
    const [v1] = await deployed(w, 'v1');
    w.router.refuse('permission denied');
    w.target.remove = () => Promise.reject(new Error('ssh://deploy@web2:22: connection lost'));
    const id = nextReleaseId(w, DIGEST.v2);
    const failure = await deployBlueGreen(deploySettings(IMAGE.v2), w.ports).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(DeployFailure);
    expect((failure as Error).message).toBe(
      `fake HAProxy backend shop-production refused the switch to release ${id}: permission denied; traffic stayed on ${named(v1!)}`,
    );
    expect(w.logger.lines).toContain(`error could not remove the refused release ${id}: ssh://deploy@web2:22: connection lost`);
    expect(w.router.weights()).toEqual({ blue: 100, green: 0 });
    expectLockedThroughout(w);
  });

  it('switches back to the previous colour when the release turns unhealthy during the observation window', async () => {
    const w = shopWorld();
    const [v1] = await deployed(w, 'v1');
    w.prober.answer(GREEN_ADDRESS, unhealthyFrom(5)); // 3 proving rounds, 1 healthy observed round, then down
    const id = nextReleaseId(w, DIGEST.v2);
    const failure = await deployBlueGreen(deploySettings(IMAGE.v2), w.ports).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(DeployFailure);
    expect((failure as Error).message).toBe(
      `release ${id} turned unhealthy after the switch: ${PROBE_DOWN} (round 2); unhealthy in round 2 of the observation window, after 1 healthy round; ` +
        `traffic was switched back to ${named(v1!)}`,
    );
    expect((failure as DeployFailure).serving?.labels.release).toBe(v1!.labels.release);
    expect(w.router.weights()).toEqual({ blue: 100, green: 0 });
    // Where traffic went: to the new release, then back.
    expect(w.router.traffic).toEqual([{ green: 100 }, { blue: 100 }]);
    expect(w.target.snapshot()).toEqual({ [BLUE]: `running ${v1!.labels.release}` });
    expect(w.events).toContain('deploy.switched_back');
    expectLockedThroughout(w);
  });

  it('leaves traffic on a release that turns unhealthy when the configuration keeps it, saying how to switch back', async () => {
    const w = shopWorld();
    const [v1] = await deployed(w, 'v1');
    w.prober.answer(GREEN_ADDRESS, unhealthyFrom(5));
    const id = nextReleaseId(w, DIGEST.v2);
    const keepWhenUnhealthy = 'devops_automator.deployment.rollback_automation is false';
    const failure = await deployBlueGreen({ ...deploySettings(IMAGE.v2), keepWhenUnhealthy }, w.ports).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(DeployFailure);
    expect((failure as Error).message).toMatch(
      new RegExp(
        `^release ${id} turned unhealthy after the switch: .*; traffic stays on it \\(${keepWhenUnhealthy}\\): run rollback to switch back to ${named(v1!).replace(/[()]/g, '\\$&')}$`,
      ),
    );
    expect((failure as DeployFailure).serving?.labels.release).toBe(id);
    expect(w.router.weights()).toEqual({ blue: 0, green: 100 });
    expect(w.events).not.toContain('deploy.switched_back');
    expectLockedThroughout(w);
  });

  it('leaves traffic on an unhealthy first release, saying no earlier release runs', async () => {
    const w = shopWorld();
    w.prober.answer(BLUE_ADDRESS, unhealthyFrom(5));
    const id = nextReleaseId(w, DIGEST.v1);
    const failure = await deployBlueGreen(deploySettings(IMAGE.v1), w.ports).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(DeployFailure);
    expect((failure as Error).message).toBe(
      `release ${id} turned unhealthy after the switch: ${PROBE_DOWN.replace('8002', '8001')} (round 2); unhealthy in round 2 of the observation window, after 1 healthy round; ` +
        'no earlier release runs to switch back to, so traffic stays on it',
    );
    expect((failure as DeployFailure).serving?.labels.release).toBe(id);
    expect(w.router.weights()).toEqual({ blue: 100, green: 0 });
    expect(w.target.snapshot()).toEqual({ [BLUE]: `running ${id}` });
    expectLockedThroughout(w);
  });

  it('touches nothing when the lock cannot be had', async () => {
    const w = shopWorld();
    const [v1] = await deployed(w, 'v1');
    w.lock.refuse('lock shop/production is held by acme/shop run 41; gave up waiting after 10m');
    const failure = await deployBlueGreen(deploySettings(IMAGE.v2), w.ports).catch((e: unknown) => e);

    expect((failure as Error).message).toBe('lock shop/production is held by acme/shop run 41; gave up waiting after 10m');
    // Nothing is read or changed without the lock: the one call is the attempt to take it.
    expect(w.journal).toEqual(['lock acquire']);
    expect(w.router.weights()).toEqual({ blue: 100, green: 0 });
    expect(w.target.snapshot()).toEqual({ [BLUE]: `running ${v1!.labels.release}` });
    expect(w.events).toEqual(['deploy.failed']);
  });
});
