import { describe, expect, it } from 'vitest';
import { deployBlueGreen } from '../strategies/blue-green-deploy.ts';
import { DeployFailure } from '../strategies/deploy-failure.ts';
import { neverHealthy, unhealthyFrom } from '../strategies/testing/fake-prober.ts';
import { BLUE, BLUE_ADDRESS, DIGEST, deploySettings, GREEN, GREEN_ADDRESS, IMAGE } from '../strategies/testing/shop-fixture.ts';
import { readFleetReleases } from './fleet-releases.ts';
import { clearRecords, containersByHost, fakeFleet, nextReleaseId, onEveryHost, weightsByHost, type FakeFleet } from './testing/fake-fleet.ts';

const ALL_BLUE = { blue: 100, green: 0 };
const ALL_GREEN = { blue: 0, green: 100 };

async function deployed(fleet: FakeFleet, ...keys: ('v1' | 'v2' | 'v3')[]): Promise<string[]> {
  const ids: string[] = [];
  for (const key of keys) ids.push((await deployBlueGreen(deploySettings(IMAGE[key]), fleet.ports)).active.labels.release);
  clearRecords(fleet);
  return ids;
}

async function failure(work: Promise<unknown>): Promise<DeployFailure> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeployFailure);
  return error as DeployFailure;
}

/** No host ever had a routed container taken down. */
function expectNoRoutedTakenDown(fleet: FakeFleet): void {
  expect(onEveryHost(fleet, [])).toEqual(Object.fromEntries(fleet.hosts.map((h) => [h.name, h.target.takenDownWhileRouted])));
}

describe('blue-green on a fleet of three hosts', () => {
  it('switches every host to the new release and keeps the old one in the idle colour everywhere', async () => {
    const fleet = fakeFleet(['web1', 'web2', 'web3']);
    const [v1] = await deployed(fleet, 'v1');
    const id = nextReleaseId(fleet, DIGEST.v2);
    const result = await deployBlueGreen(deploySettings(IMAGE.v2), fleet.ports);

    expect(result.outcome).toBe('deployed');
    expect(result.active.labels.release).toBe(id);
    expect(weightsByHost(fleet)).toEqual(onEveryHost(fleet, ALL_GREEN));
    expect(fleet.hosts.map((h) => h.router.addresses().green)).toEqual([GREEN_ADDRESS, GREEN_ADDRESS, GREEN_ADDRESS]);
    expect(containersByHost(fleet)).toEqual(onEveryHost(fleet, { [BLUE]: `running ${v1}`, [GREEN]: `running ${id}` }));
    // The first host's lock covered the deploy; no other host's was taken.
    expect(fleet.hosts.map((h) => h.lock.acquiredWith?.owner)).toEqual(['acme/shop run 42', undefined, undefined]);
    expect(fleet.hosts[0]!.lock.held).toBe(false);
    expectNoRoutedTakenDown(fleet);

    const releases = await readFleetReleases(fleet.hosts, { app: 'shop', environment: 'production' }, fleet.logger);
    expect(releases.split).toBeUndefined();
    expect(releases.hosts.map((h) => [h.host, h.release?.labels.release])).toEqual([
      ['web1', id],
      ['web2', id],
      ['web3', id],
    ]);
  });

  it('a router that refuses on host 2: host 1 goes back, host 3 never moves, the new release is removed everywhere', async () => {
    const fleet = fakeFleet(['web1', 'web2', 'web3']);
    const [v1] = await deployed(fleet, 'v1');
    const web3Plans = fleet.hosts[2]!.router.applied.length;
    fleet.hosts[1]!.router.refuse('backend shop-production is in maintenance');
    const error = await failure(deployBlueGreen(deploySettings(IMAGE.v2), fleet.ports));

    expect(error.message).toContain('web2: fake HAProxy backend shop-production refused: backend shop-production is in maintenance');
    expect(error.message).toContain('web1 put back');
    expect(error.message).toMatch(/traffic now: web1: blue 100% .*; web2: blue 100% .*; web3: blue 100% /);
    expect(error.serving?.labels.release).toBe(v1);
    expect(weightsByHost(fleet)).toEqual(onEveryHost(fleet, ALL_BLUE));
    expect(fleet.hosts[2]!.router.applied.slice(web3Plans).every((plan) => (plan.slots.green?.weight ?? 0) === 0)).toBe(true);
    expect(containersByHost(fleet)).toEqual(onEveryHost(fleet, { [BLUE]: `running ${v1}` }));
    expectNoRoutedTakenDown(fleet);
  });

  it('a host that goes down at the switch leaves every host on the old release, and the error names it', async () => {
    const fleet = fakeFleet(['web1', 'web2', 'web3']);
    const [v1] = await deployed(fleet, 'v1');
    const web3 = fleet.hosts[2]!;
    const down = async (): Promise<never> => Promise.reject(new Error('ssh: connect to host 10.0.0.3 port 22: connection refused'));
    const started = web3.target.start.bind(web3.target);
    web3.target.start = async (spec) => {
      const release = await started(spec);
      web3.router.inspect = down;
      web3.router.apply = down;
      web3.target.remove = down;
      return release;
    };
    const error = await deployBlueGreen(deploySettings(IMAGE.v2), fleet.ports).then(
      () => undefined,
      (e: unknown) => e as Error,
    );

    // The refusal keeps its words and where traffic stayed; the cleanup web3 could not do is logged.
    expect(error).toBeInstanceOf(DeployFailure);
    expect(error?.message).toContain(
      'web3: fake HAProxy backend shop-production refused: ssh: connect to host 10.0.0.3 port 22: connection refused; web1, web2 put back',
    );
    expect(error?.message).toMatch(new RegExp(`traffic stayed on release ${v1} \\(ghcr\\.io/acme/shop:1\\.0\\.0, blue\\)$`));
    expect(
      fleet.logger.lines.some((line) => line.startsWith('error could not remove the refused release') && line.includes('web3: ssh: connect to host 10.0.0.3')),
    ).toBe(true);
    expect(weightsByHost(fleet)).toEqual(onEveryHost(fleet, ALL_BLUE));
    expect(fleet.hosts.slice(0, 2).map((h) => h.target.snapshot())).toEqual([{ [BLUE]: `running ${v1}` }, { [BLUE]: `running ${v1}` }]);
    expectNoRoutedTakenDown(fleet);
  });

  it('a release that exits at start on host 3: nothing switches and it is removed from hosts 1 and 2', async () => {
    const fleet = fakeFleet(['web1', 'web2', 'web3']);
    const [v1] = await deployed(fleet, 'v1');
    fleet.hosts[2]!.target.images.set(IMAGE.v2, { digest: DIGEST.v2, exitsAtStart: 'Error: DATABASE_URL is not set' });
    const error = await failure(deployBlueGreen(deploySettings(IMAGE.v2), fleet.ports));

    expect(error.message).toMatch(
      /^web3: container sidhe-shop\.production-green \(.+\) exited at start with exit code 1: Error: DATABASE_URL is not set; removed from web1, web2; traffic stayed on release /,
    );
    // The evidence is the failed host's container, read before it went.
    expect(error.evidence).toMatchObject({ name: GREEN, state: 'exited', exitCode: 1 });
    expect(weightsByHost(fleet)).toEqual(onEveryHost(fleet, ALL_BLUE));
    expect(containersByHost(fleet)).toEqual(onEveryHost(fleet, { [BLUE]: `running ${v1}` }));
    expect(fleet.journal.filter((line) => line.includes('router apply'))).toEqual([]);
  });

  it('a release that turns unhealthy on one host after the switch sends every host back', async () => {
    const fleet = fakeFleet(['web1', 'web2', 'web3']);
    const [v1] = await deployed(fleet, 'v1');
    fleet.hosts[1]!.probes.answer(GREEN_ADDRESS, unhealthyFrom(5)); // 3 proving rounds, 1 healthy observed round, then down
    const error = await failure(deployBlueGreen(deploySettings(IMAGE.v2), fleet.ports));

    expect(error.message).toContain('turned unhealthy after the switch');
    expect(error.message).toContain('web2: status 503 is outside expected-status');
    expect(error.message).toContain('traffic was switched back to');
    expect(weightsByHost(fleet)).toEqual(onEveryHost(fleet, ALL_BLUE));
    expect(containersByHost(fleet)).toEqual(onEveryHost(fleet, { [BLUE]: `running ${v1}` }));
  });

  it('re-deploying after a run killed mid-switch (host 2 alone on the new colour) converges every host', async () => {
    const fleet = fakeFleet(['web1', 'web2', 'web3']);
    await deployed(fleet, 'v1');
    // The killed run had started its release on every host and switched web2 alone.
    const labels = {
      app: 'shop',
      environment: 'production',
      colour: 'green' as const,
      release: nextReleaseId(fleet, DIGEST.v2),
      image: IMAGE.v2,
      imageDigest: DIGEST.v2,
      deployedAt: new Date(fleet.clock.now()).toISOString(),
      port: 8002,
    };
    for (const host of fleet.hosts) await host.target.start({ labels });
    fleet.hosts[1]!.router.set('blue', BLUE_ADDRESS, 0);
    fleet.hosts[1]!.router.set('green', GREEN_ADDRESS, 100);
    fleet.clock.advance(60_000);

    const split = await readFleetReleases(fleet.hosts, { app: 'shop', environment: 'production' }, fleet.logger);
    expect(split.split).toMatch(/^the hosts do not all serve one release: web1: serves release .*; web2: serves release .*/);

    const id = nextReleaseId(fleet, DIGEST.v2);
    const result = await deployBlueGreen(deploySettings(IMAGE.v2), fleet.ports);
    expect(result.active.labels.release).toBe(id);
    expect(fleet.logger.lines.some((line) => line.startsWith('warning the hosts route differently') && line.includes('web2: blue 0%'))).toBe(true);
    expect(weightsByHost(fleet)).toEqual(onEveryHost(fleet, ALL_GREEN));
    expect(fleet.hosts.map((h) => h.target.snapshot()[GREEN])).toEqual([`running ${id}`, `running ${id}`, `running ${id}`]);
    expectNoRoutedTakenDown(fleet);
    expect((await readFleetReleases(fleet.hosts, { app: 'shop', environment: 'production' }, fleet.logger)).split).toBeUndefined();
  });

  it('on two hosts split evenly, the re-run completes the switch to the newer release without starting another', async () => {
    const fleet = fakeFleet(['web1', 'web2']);
    const [, v2] = await deployed(fleet, 'v1', 'v2');
    fleet.hosts[1]!.router.set('blue', BLUE_ADDRESS, 100);
    fleet.hosts[1]!.router.set('green', GREEN_ADDRESS, 0);
    const result = await deployBlueGreen(deploySettings(IMAGE.v2), fleet.ports);

    expect(result.outcome).toBe('unchanged');
    expect(result.active.labels.release).toBe(v2);
    expect(weightsByHost(fleet)).toEqual(onEveryHost(fleet, ALL_GREEN));
  });
});

describe('blue-green on a fleet started one host at a time (boot-limit 1)', () => {
  it('starts host 2 only once host 1 proved the release healthy, and host 3 once host 2 did', async () => {
    const fleet = fakeFleet(['web1', 'web2', 'web3'], { bootLimit: 1 });
    await deployed(fleet, 'v1');
    const result = await deployBlueGreen(deploySettings(IMAGE.v2), fleet.ports);

    expect(result.outcome).toBe('deployed');
    expect(weightsByHost(fleet)).toEqual(onEveryHost(fleet, ALL_GREEN));
    const startOf = (host: string): number => fleet.journal.findIndex((line) => line.startsWith(`${host}: start ${GREEN}`));
    const proofsOf = (host: string, before: number): number =>
      fleet.journal.slice(0, before).filter((line) => line === `${host}: probe http://${GREEN_ADDRESS}/health container://${GREEN}`).length;
    expect(startOf('web1')).toBeLessThan(startOf('web2'));
    expect(proofsOf('web1', startOf('web2'))).toBe(3);
    expect(proofsOf('web2', startOf('web2'))).toBe(0);
    expect(proofsOf('web2', startOf('web3'))).toBe(3);
  });

  it('a re-run after a run cancelled mid-wave (the release on host 1 alone) converges every host', async () => {
    const fleet = fakeFleet(['web1', 'web2', 'web3'], { bootLimit: 1 });
    const [v1] = await deployed(fleet, 'v1');
    const labels = {
      app: 'shop',
      environment: 'production',
      colour: 'green' as const,
      release: nextReleaseId(fleet, DIGEST.v2),
      image: IMAGE.v2,
      imageDigest: DIGEST.v2,
      deployedAt: new Date(fleet.clock.now()).toISOString(),
      port: 8002,
    };
    await fleet.hosts[0]!.target.start({ labels });
    fleet.clock.advance(60_000);
    const id = nextReleaseId(fleet, DIGEST.v2);
    const result = await deployBlueGreen(deploySettings(IMAGE.v2), fleet.ports);

    expect(fleet.logger.lines).toContainEqual(`warning the hosts differ: ${GREEN}: web1 ${labels.release} running, web2 missing, web3 missing`);
    expect(result.active.labels.release).toBe(id);
    expect(weightsByHost(fleet)).toEqual(onEveryHost(fleet, ALL_GREEN));
    expect(containersByHost(fleet)).toEqual(onEveryHost(fleet, { [BLUE]: `running ${v1}`, [GREEN]: `running ${id}` }));
  });

  it('a release never healthy on host 1 is never started on hosts 2 and 3', async () => {
    const fleet = fakeFleet(['web1', 'web2', 'web3'], { bootLimit: 1 });
    const [v1] = await deployed(fleet, 'v1');
    fleet.hosts[0]!.probes.answer(GREEN_ADDRESS, neverHealthy);
    const error = await failure(deployBlueGreen(deploySettings(IMAGE.v2), fleet.ports));

    expect(error.message).toMatch(/^web1: release \S+ did not become healthy: .*; not started on web2, web3; traffic stayed on release /);
    expect(fleet.journal.filter((line) => line.includes(`start ${GREEN}`))).toEqual([expect.stringMatching(/^web1: /)]);
    expect(weightsByHost(fleet)).toEqual(onEveryHost(fleet, ALL_BLUE));
    expect(containersByHost(fleet)).toEqual(onEveryHost(fleet, { [BLUE]: `running ${v1}` }));
  });
});
