import { describe, expect, it } from 'vitest';
import { deployDirect, type DirectSettings } from '../strategies/direct-deploy.ts';
import { neverHealthy } from '../strategies/testing/fake-prober.ts';
import { BLUE, GREEN, GREEN_ADDRESS, IMAGE } from '../strategies/testing/shop-fixture.ts';
import { clearRecords, containersByHost, fakeFleet, onEveryHost, weightsByHost } from './testing/fake-fleet.ts';

function settings(image: string): DirectSettings {
  return {
    app: 'shop',
    environment: 'production',
    image,
    env: { DATABASE_URL: 'postgres://db/shop' },
    ports: { blue: 8001, green: 8002 },
    routed: true,
    health: { path: '/health', intervalMs: 1_000 },
    healthTimeoutMs: 30_000,
    observeMs: 0,
    lock: { owner: 'acme/shop run 42', timeoutMs: 600_000 },
  };
}

describe('direct deploy behind each host’s router, on a fleet of three hosts', () => {
  it('switches every host to the new release and stops the old one everywhere', async () => {
    const fleet = fakeFleet(['web1', 'web2', 'web3']);
    const v1 = (await deployDirect(settings(IMAGE.v1), fleet.ports)).active.labels.release;
    clearRecords(fleet);
    const v2 = (await deployDirect(settings(IMAGE.v2), fleet.ports)).active.labels.release;

    expect(weightsByHost(fleet)).toEqual(onEveryHost(fleet, { blue: 0, green: 100 }));
    expect(containersByHost(fleet)).toEqual(onEveryHost(fleet, { [BLUE]: `exited ${v1}`, [GREEN]: `running ${v2}` }));
  });

  it('a release never healthy on one host takes no traffic anywhere', async () => {
    const fleet = fakeFleet(['web1', 'web2', 'web3']);
    const v1 = (await deployDirect(settings(IMAGE.v1), fleet.ports)).active.labels.release;
    fleet.hosts[2]!.probes.answer(GREEN_ADDRESS, neverHealthy);
    const error = await deployDirect(settings(IMAGE.v2), fleet.ports).then(
      () => undefined,
      (e: unknown) => e as Error,
    );

    expect(error?.message).toContain('web3: status 503 is outside expected-status');
    expect(weightsByHost(fleet)).toEqual(onEveryHost(fleet, { blue: 100, green: 0 }));
    expect(containersByHost(fleet)).toEqual(onEveryHost(fleet, { [BLUE]: `running ${v1}` }));
  });
});
