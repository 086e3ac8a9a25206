import { releaseId } from '../../deploy/release.ts';
import type { Prober } from '../../health/prober.ts';
import type { DeployPorts } from '../../strategies/deploy-ports.ts';
import { FakeClock } from '../../strategies/testing/fake-clock.ts';
import { FakeLock } from '../../strategies/testing/fake-lock.ts';
import { FakeLogger } from '../../strategies/testing/fake-ports.ts';
import { FakeProber } from '../../strategies/testing/fake-prober.ts';
import { FakeRouter } from '../../strategies/testing/fake-router.ts';
import { FakeTarget } from '../../strategies/testing/fake-target.ts';
import { DIGEST, IMAGE } from '../../strategies/testing/shop-fixture.ts';
import type { BootLimit, FleetHost } from '../fleet-host.ts';
import { fleetPorts, releaseProof } from '../fleet-ports.ts';

/** One FAKE server of a fleet: its own engine, lock, router and prober, on the fleet's clock. */
export interface FakeHost extends FleetHost {
  target: FakeTarget;
  router: FakeRouter;
  /** The fake behind `prober`, to script answers on this host. */
  probes: FakeProber;
  lock: FakeLock;
}

export interface FakeFleet {
  hosts: FakeHost[];
  ports: DeployPorts;
  /** Every host's calls in order, each line starting with its host: `web2: start …`, `web1: probe …`. */
  journal: string[];
  events: string[];
  clock: FakeClock;
  logger: FakeLogger;
}

/** A journal that writes each line, prefixed with the host, into the fleet's. */
function hostJournal(shared: string[], host: string): string[] {
  const journal: string[] = [];
  journal.push = (...lines: string[]): number => shared.push(...lines.map((line) => `${host}: ${line}`));
  return journal;
}

/** The shop on fake hosts named `names`, every host's registry serving every image of IMAGE. */
export function fakeFleet(names: string[], options: { bootLimit?: BootLimit } = {}): FakeFleet {
  const journal: string[] = [];
  const events: string[] = [];
  const clock = new FakeClock();
  const logger = new FakeLogger();
  const hosts = names.map((name): FakeHost => {
    const own = hostJournal(journal, name);
    const lock = new FakeLock(own);
    const router = new FakeRouter(own);
    const target = new FakeTarget(own, lock, (release) => router.routes(release));
    for (const key of ['v1', 'v2', 'v3'] as const) target.images.set(IMAGE[key], { digest: DIGEST[key] });
    const probes = new FakeProber(clock, (container) => target.containerState(container));
    const prober: Prober = {
      probeRound: (plans) => {
        own.push(`probe ${plans.map((plan) => plan.id).join(' ')}`);
        return probes.probeRound(plans);
      },
    };
    return { name, target, router, prober, probes, lock };
  });
  const proveWave =
    options.bootLimit === undefined ? undefined : releaseProof({ clock, logger }, { intervalMs: 1_000, timeoutMs: 30_000, fallbackPath: '/health' });
  const ports: DeployPorts = {
    ...fleetPorts(hosts, { logger, ...(options.bootLimit !== undefined ? { bootLimit: options.bootLimit } : {}), ...(proveWave ? { proveWave } : {}) }),
    clock,
    logger,
    report: async (type) => void events.push(type),
  };
  return { hosts, ports, journal, events, clock, logger };
}

/** Each host's weights: `{ web1: { blue: 0, green: 100 }, … }`. */
export const weightsByHost = (fleet: FakeFleet): Record<string, Record<string, number>> =>
  Object.fromEntries(fleet.hosts.map((host) => [host.name, host.router.weights()]));

/** What runs on each host: `{ web1: { 'sidhe-shop.production-blue': 'running r…' }, … }`. */
export const containersByHost = (fleet: FakeFleet): Record<string, Record<string, string>> =>
  Object.fromEntries(fleet.hosts.map((host) => [host.name, host.target.snapshot()]));

/** The same value for every host of the fleet, to compare with the *ByHost views. */
export const onEveryHost = <T>(fleet: FakeFleet, value: T): Record<string, T> => Object.fromEntries(fleet.hosts.map((host) => [host.name, value]));

/** Clears the journal and events, for the step under test. */
export function clearRecords(fleet: FakeFleet): void {
  fleet.journal.length = 0;
  fleet.events.length = 0;
  fleet.logger.lines.length = 0;
}

/** The id the next release of `digest` gets when it starts now. */
export const nextReleaseId = (fleet: FakeFleet, digest: string): string => releaseId(new Date(fleet.clock.now()), digest);
