import { describe, expect, it } from 'vitest';
import { deployBlueGreen } from '../strategies/blue-green-deploy.ts';
import { deployCanary } from '../strategies/canary-deploy.ts';
import { rollbackRelease } from '../strategies/rollback.ts';
import { canarySettings } from '../strategies/testing/canary-fixture.ts';
import { fakeMeasuring, type JudgeScript } from '../strategies/testing/fake-canary.ts';
import { BLUE, BLUE_ADDRESS, deploySettings, GREEN, GREEN_ADDRESS, IMAGE, rollbackSettings } from '../strategies/testing/shop-fixture.ts';
import { readFleetReleases } from './fleet-releases.ts';
import { clearRecords, containersByHost, fakeFleet, onEveryHost, weightsByHost, type FakeFleet } from './testing/fake-fleet.ts';

const SHOP = { app: 'shop', environment: 'production' };

async function deployed(fleet: FakeFleet, ...keys: ('v1' | 'v2')[]): Promise<string[]> {
  const ids: string[] = [];
  for (const key of keys) ids.push((await deployBlueGreen(deploySettings(IMAGE[key]), fleet.ports)).active.labels.release);
  clearRecords(fleet);
  return ids;
}

const canaryPortsOf = (fleet: FakeFleet, script?: JudgeScript) => ({ ...fleet.ports, measuring: fakeMeasuring(fleet.clock, script) });

/** The canary (green) weight of every plan each host's router was given since `from`. */
const greenWeights = (fleet: FakeFleet, from: number[]): Record<string, number[]> =>
  Object.fromEntries(fleet.hosts.map((host, i) => [host.name, host.router.applied.slice(from[i]).map((plan) => plan.slots.green?.weight ?? 0)]));

describe('rollback on a fleet of three hosts', () => {
  it('switches every host back to the previous release', async () => {
    const fleet = fakeFleet(['web1', 'web2', 'web3']);
    const [v1, v2] = await deployed(fleet, 'v1', 'v2');
    const result = await rollbackRelease(rollbackSettings('previous'), fleet.ports);

    expect(result.outcome).toBe('switched');
    expect(result.active.labels.release).toBe(v1);
    expect(weightsByHost(fleet)).toEqual(onEveryHost(fleet, { blue: 100, green: 0 }));
    expect(containersByHost(fleet)).toEqual(onEveryHost(fleet, { [BLUE]: `running ${v1}`, [GREEN]: `running ${v2}` }));
    expect((await readFleetReleases(fleet.hosts, SHOP, fleet.logger)).hosts.map((h) => h.release?.labels.release)).toEqual([v1, v1, v1]);
  });

  it('restarts the previous release on every host when one host lost it, keeping its id and env', async () => {
    const fleet = fakeFleet(['web1', 'web2', 'web3']);
    const [v1] = await deployed(fleet, 'v1', 'v2');
    await fleet.hosts[2]!.target.remove(BLUE);
    const result = await rollbackRelease(rollbackSettings('previous'), fleet.ports);

    expect(result.outcome).toBe('restarted');
    expect(result.active.labels.release).toBe(v1);
    expect(fleet.logger.lines).toContainEqual(
      expect.stringMatching(new RegExp(`^warning the hosts differ: ${BLUE}: web1 ${v1} running, web2 ${v1} running, web3 missing$`)),
    );
    expect(weightsByHost(fleet)).toEqual(onEveryHost(fleet, { blue: 100, green: 0 }));
    expect(fleet.hosts.map((h) => h.target.snapshot()[BLUE])).toEqual([`running ${v1}`, `running ${v1}`, `running ${v1}`]);
    expect(fleet.hosts.map((h) => h.target.envs.get(BLUE))).toEqual(Array(3).fill({ DATABASE_URL: 'postgres://db/shop' }));
  });
});

describe('canary on a fleet of two hosts', () => {
  it('gives the canary the same weight on both hosts at every step, then promotes it everywhere', async () => {
    const fleet = fakeFleet(['web1', 'web2']);
    const [v1] = await deployed(fleet, 'v1');
    const from = fleet.hosts.map((h) => h.router.applied.length);
    const result = await deployCanary(canarySettings(IMAGE.v2), canaryPortsOf(fleet));

    expect(result.outcome).toBe('promoted');
    expect(greenWeights(fleet, from)).toEqual(onEveryHost(fleet, [10, 50, 100, 100]));
    expect(weightsByHost(fleet)).toEqual(onEveryHost(fleet, { blue: 0, green: 100 }));
    expect(containersByHost(fleet)).toEqual(onEveryHost(fleet, { [BLUE]: `running ${v1}`, [GREEN]: `running ${result.canary!.labels.release}` }));
  });

  it('an abort puts both hosts wholly back on stable and removes the canary from both', async () => {
    const fleet = fakeFleet(['web1', 'web2']);
    const [v1] = await deployed(fleet, 'v1');
    const from = fleet.hosts.map((h) => h.router.applied.length);
    const result = await deployCanary(
      canarySettings(IMAGE.v2),
      canaryPortsOf(fleet, (step, _w, look) => (step === 1 && look === 2 ? 'fail' : 'pass')),
    );

    expect(result.outcome).toBe('aborted');
    expect(greenWeights(fleet, from)).toEqual(onEveryHost(fleet, [10, 50, 0]));
    expect(weightsByHost(fleet)).toEqual(onEveryHost(fleet, { blue: 100, green: 0 }));
    expect(containersByHost(fleet)).toEqual(onEveryHost(fleet, { [BLUE]: `running ${v1}` }));
  });

  it('a router that refuses a step on host 2 aborts the canary on both hosts', async () => {
    const fleet = fakeFleet(['web1', 'web2']);
    const [v1] = await deployed(fleet, 'v1');
    const web2 = fleet.hosts[1]!;
    const settings = canarySettings(IMAGE.v2);
    // Step 1 goes through; step 2 is refused on web2 alone.
    const refuseSecondStep = web2.router.apply.bind(web2.router);
    let calls = 0;
    web2.router.apply = async (plan) => {
      if (++calls === 2) web2.router.refuse('weight change rejected');
      return refuseSecondStep(plan);
    };
    const error = await deployCanary(settings, canaryPortsOf(fleet)).then(
      () => undefined,
      (e: unknown) => e as Error,
    );

    expect(error?.message).toMatch(
      /^web2: fake HAProxy backend shop-production refused: weight change rejected; web1 put back; traffic now: web1: blue 90% .*; web2: blue 90% .*the canary \S+ was aborted: all traffic is on release /,
    );
    expect(weightsByHost(fleet)).toEqual(onEveryHost(fleet, { blue: 100, green: 0 }));
    expect(containersByHost(fleet)).toEqual(onEveryHost(fleet, { [BLUE]: `running ${v1}` }));
  });

  it('a canary left at different weights on the hosts by a killed run is aborted on both before the new one starts', async () => {
    const fleet = fakeFleet(['web1', 'web2']);
    const [v1, v2] = await deployed(fleet, 'v1', 'v2');
    // v1 stable in blue, v2 the canary in green, left at 50% on web1 and 10% on web2.
    fleet.hosts[0]!.router.set('blue', BLUE_ADDRESS, 50);
    fleet.hosts[0]!.router.set('green', GREEN_ADDRESS, 50);
    fleet.hosts[1]!.router.set('blue', BLUE_ADDRESS, 90);
    fleet.hosts[1]!.router.set('green', GREEN_ADDRESS, 10);
    const result = await deployCanary(canarySettings(IMAGE.v2), canaryPortsOf(fleet));

    expect(fleet.logger.lines).toContainEqual(expect.stringMatching(/^info a canary was left at 30% /));
    expect(result.outcome).toBe('promoted');
    expect(result.canary!.labels.release).not.toBe(v2);
    expect(weightsByHost(fleet)).toEqual(onEveryHost(fleet, { blue: 0, green: 100 }));
    expect(fleet.hosts.map((h) => h.target.snapshot()[BLUE])).toEqual([`running ${v1}`, `running ${v1}`]);
  });
});
