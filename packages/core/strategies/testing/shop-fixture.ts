import { expect } from 'vitest';
import { releaseId } from '../../deploy/release.ts';
import type { RunningRelease } from '../../deploy/target.ts';
import { deployBlueGreen, type BlueGreenSettings } from '../blue-green-deploy.ts';
import type { RollbackSettings } from '../rollback.ts';
import { fakeWorld, type FakeWorld } from './fake-ports.ts';

/** The sample app the strategy tests deploy: its images, their digests and the containers' names. */
export const IMAGE = {
  v1: 'ghcr.io/acme/shop:1.0.0',
  v2: 'ghcr.io/acme/shop:2.0.0',
  v3: 'ghcr.io/acme/shop:3.0.0',
  crashing: 'ghcr.io/acme/shop:crashing',
} as const;

export const DIGEST = {
  v1: `sha256:${'1'.repeat(64)}`,
  v2: `sha256:${'2'.repeat(64)}`,
  v3: `sha256:${'3'.repeat(64)}`,
  crashing: `sha256:${'c'.repeat(64)}`,
} as const;

export const BLUE = 'sidhe-shop.production-blue';
export const GREEN = 'sidhe-shop.production-green';
export const BLUE_ADDRESS = '127.0.0.1:8001';
export const GREEN_ADDRESS = '127.0.0.1:8002';

/** A world of fakes whose registry serves every image of IMAGE; `crashing` exits as soon as it starts. */
export function shopWorld(): FakeWorld {
  const world = fakeWorld();
  for (const key of ['v1', 'v2', 'v3'] as const) world.target.images.set(IMAGE[key], { digest: DIGEST[key] });
  world.target.images.set(IMAGE.crashing, { digest: DIGEST.crashing, exitsAtStart: 'Error: DATABASE_URL is not set' });
  return world;
}

/** The lock came before any other call and was let go once, after the last; no routed container was taken down. */
export function expectLockedThroughout(world: FakeWorld): void {
  expect(world.journal[0]).toBe('lock acquire');
  expect(world.journal.at(-1)).toBe('lock release');
  expect(world.journal.filter((line) => line === 'lock release')).toHaveLength(1);
  expect(world.lock.held).toBe(false);
  expect(world.target.takenDownWhileRouted).toEqual([]);
}

/** What a run changed on the host and the router, in order: starts, stops, removes and router applies; reads and the lock left out. */
export const changes = (world: FakeWorld): string[] => world.journal.filter((line) => /^(start|stop|remove|router apply) /.test(line));

/** What deploy and rollback of the shop share: its names, env, ports and health check. */
const SHOP = {
  app: 'shop',
  environment: 'production',
  env: { DATABASE_URL: 'postgres://db/shop' },
  ports: { blue: 8001, green: 8002 },
  health: { path: '/health', intervalMs: 1_000 },
  healthTimeoutMs: 30_000,
};

export function deploySettings(image: string, overrides: Partial<BlueGreenSettings> = {}): BlueGreenSettings {
  return { ...SHOP, image, switchDelayMs: 10_000, keepPrevious: true, lock: { owner: 'acme/shop run 42', timeoutMs: 600_000 }, ...overrides };
}

export function rollbackSettings(to: string, overrides: Partial<RollbackSettings> = {}): RollbackSettings {
  return { ...SHOP, to, lock: { owner: 'acme/shop run 43', timeoutMs: 600_000 }, ...overrides };
}

/** Deploys the images in turn (each healthy), then clears the journal and events for the step under test. */
export async function deployed(world: FakeWorld, ...keys: ('v1' | 'v2' | 'v3')[]): Promise<RunningRelease[]> {
  const releases: RunningRelease[] = [];
  for (const key of keys) releases.push((await deployBlueGreen(deploySettings(IMAGE[key]), world.ports)).active);
  world.journal.length = 0;
  world.events.length = 0;
  world.router.traffic.length = 0;
  return releases;
}

/** The id the next release of `digest` gets when it starts now (deploys start it before time moves). */
export const nextReleaseId = (world: FakeWorld, digest: string): string => releaseId(new Date(world.clock.now()), digest);

/** `release r… (image, colour)`, as describeRelease() writes it. */
export const named = (release: RunningRelease): string => `release ${release.labels.release} (${release.labels.image}, ${release.labels.colour})`;
