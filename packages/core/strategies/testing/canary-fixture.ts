import type { CanarySettings } from '../canary-deploy.ts';
import type { CanaryControlSettings } from '../canary-control.ts';
import type { CanaryPorts } from '../canary-ports.ts';
import { fakeMeasuring, type JudgeScript, type ReadScript } from './fake-canary.ts';
import type { FakeWorld } from './fake-ports.ts';

/** The shop's canary: steps 10, 50, 100 of 10 s each, looked at every 2 s. */
export function canarySettings(image: string, overrides: Partial<CanarySettings> = {}): CanarySettings {
  return {
    app: 'shop',
    environment: 'production',
    image,
    env: { DATABASE_URL: 'postgres://db/shop' },
    ports: { blue: 8001, green: 8002 },
    health: { path: '/health', intervalMs: 1_000 },
    healthTimeoutMs: 30_000,
    lock: { owner: 'acme/shop run 44', timeoutMs: 600_000 },
    steps: [10, 50, 100],
    stepIntervalMs: 10_000,
    lookIntervalMs: 2_000,
    maxFailedReads: 3,
    onInconclusive: 'abort',
    autoPromote: true,
    ...overrides,
  };
}

export const controlSettings: CanaryControlSettings = {
  app: 'shop',
  environment: 'production',
  fallbackHealthPath: '/health',
  lock: { owner: 'acme/shop run 45', timeoutMs: 600_000 },
};

/** The world's ports with a fake judge following `script` and fake metrics failing as `failing` says. */
export function canaryPorts(world: FakeWorld, script?: JudgeScript, failing?: ReadScript): CanaryPorts & { measuring: ReturnType<typeof fakeMeasuring> } {
  return { ...world.ports, measuring: fakeMeasuring(world.clock, script, failing) };
}
