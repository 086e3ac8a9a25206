import type { Logger } from '../../logger.ts';
import type { DeployPorts } from '../deploy-ports.ts';
import { FakeClock } from './fake-clock.ts';
import { FakeLock } from './fake-lock.ts';
import { FakeProber } from './fake-prober.ts';
import { FakeRouter } from './fake-router.ts';
import { FakeTarget } from './fake-target.ts';

/** A FAKE logger that keeps `level message` lines. */
export class FakeLogger implements Logger {
  readonly lines: string[] = [];
  debug(message: string): void {
    this.lines.push(`debug ${message}`);
  }
  info(message: string): void {
    this.lines.push(`info ${message}`);
  }
  warning(message: string): void {
    this.lines.push(`warning ${message}`);
  }
  error(message: string): void {
    this.lines.push(`error ${message}`);
  }
}

export interface FakeWorld {
  ports: DeployPorts;
  /** Every lock, router and host call in order: `lock acquire`, `pull …`, `start …`, `router apply …`. */
  journal: string[];
  /** Event types reported, in order. */
  events: string[];
  clock: FakeClock;
  lock: FakeLock;
  target: FakeTarget;
  router: FakeRouter;
  prober: FakeProber;
  logger: FakeLogger;
}

/** One app environment's world made of fakes, wired as the adapters would be. */
export function fakeWorld(): FakeWorld {
  const journal: string[] = [];
  const events: string[] = [];
  const clock = new FakeClock();
  const lock = new FakeLock(journal);
  const router = new FakeRouter(journal);
  const target = new FakeTarget(journal, lock, (release) => router.routes(release));
  const prober = new FakeProber(clock, (name) => target.containerState(name));
  const logger = new FakeLogger();
  const ports: DeployPorts = {
    target,
    router,
    prober,
    clock,
    logger,
    report: async (type) => void events.push(type),
  };
  return { ports, journal, events, clock, lock, target, router, prober, logger };
}
