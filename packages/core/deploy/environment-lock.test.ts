import { describe, expect, it } from 'vitest';
import { ActionFailure } from '../errors.ts';
import type { Clock } from '../health/clock.ts';
import { runContextFrom } from '../../runtime/run-context.ts';
import {
  createEnvironmentLock,
  decideLock,
  parseOwner,
  takeOverReason,
  type LocalHost,
  type LockHolder,
  type LockStore,
  type Scheduler,
} from './environment-lock.ts';

/** A clock whose sleep() only moves time on, so waits of minutes take no time. */
function fakeClock(start = Date.parse('2025-03-01T12:00:00Z')): Clock & { sleeps: number[] } {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

/** The store's contract in memory: one lock at most, tokens never reused. */
class MemoryStore implements LockStore {
  holder: LockHolder | undefined;
  #next = 1;
  describe() {
    return 'lock shop/production';
  }
  async create(owner: string, since: number, expiresAt: number) {
    if (this.holder) return undefined;
    this.holder = { token: `t${this.#next++}`, owner, since, expiresAt };
    return this.holder.token;
  }
  async read() {
    return this.holder && { ...this.holder };
  }
  async renew(token: string, _owner: string, expiresAt: number) {
    if (this.holder?.token !== token) throw new ActionFailure('lock is no longer ours');
    this.holder.expiresAt = expiresAt;
  }
  async remove(token: string) {
    if (this.holder?.token === token) this.holder = undefined;
  }
}

/** A scheduler whose calls run when the test says, moving the clock on to when they were due. */
function fakeScheduler(clock: Clock): Scheduler & { due(): number[]; fire(): Promise<void> } {
  let calls: { at: number; fn: () => void; cancelled: boolean }[] = [];
  const live = () => calls.filter((c) => !c.cancelled);
  return {
    after(ms, fn) {
      const call = { at: clock.now() + ms, fn, cancelled: false };
      calls.push(call);
      return () => {
        call.cancelled = true;
      };
    },
    due: () => live().map((c) => c.at - T0),
    async fire() {
      const [call] = live();
      if (!call) throw new Error('nothing scheduled');
      calls = calls.filter((c) => c !== call);
      await clock.sleep(call.at - clock.now());
      call.fn();
      await new Promise((resolve) => setImmediate(resolve)); // let the renewal it started settle
    },
  };
}

function recordingLogger() {
  const warnings: string[] = [];
  return { warnings, logger: { debug() {}, info() {}, warning: (m: string) => warnings.push(m), error() {} } };
}

const T0 = Date.parse('2025-03-01T12:00:00Z');
const here: LocalHost = { name: 'build-7', pidExists: (pid) => pid === 4242 };

describe('decideLock', () => {
  const holder = { token: 't', owner: 'run 1', since: T0 };
  it('waits for a live lease and takes over one that ran out', () => {
    expect(decideLock({ ...holder, expiresAt: T0 + 1 }, T0)).toBe('wait');
    expect(decideLock({ ...holder, expiresAt: T0 }, T0)).toBe('take-over');
  });
  it('waits for a holder whose expiry it cannot read', () => {
    expect(decideLock({ ...holder, expiresAt: undefined }, T0 + 86_400_000)).toBe('wait');
  });
});

describe('parseOwner', () => {
  it('reads the owners the runtime writes, from a terminal and from GitHub', () => {
    const terminal = runContextFrom({}).runner;
    expect(parseOwner(terminal)).toMatchObject({ kind: 'process', pid: process.pid });
    const github = runContextFrom({ GITHUB_REPOSITORY: 'acme/shop', GITHUB_RUN_ID: '4211', GITHUB_RUN_ATTEMPT: '3' }).runner;
    expect(parseOwner(github)).toEqual({ kind: 'github-run', repository: 'acme/shop', runId: '4211', attempt: 3 });
  });
  it('takes the host as the part after the last @, and the user as everything before', () => {
    expect(parseOwner('Jane Doe@ci-box.local pid 81')).toEqual({ kind: 'process', user: 'Jane Doe', host: 'ci-box.local', pid: 81 });
  });
  it('calls anything else unknown', () => {
    for (const owner of ['', 'run 1', 'acme/shop run 4211', 'me@box pid 0', 'me@box pid 12x', 'acme/shop run 1 attempt 0']) {
      expect(parseOwner(owner)).toEqual({ kind: 'unknown' });
    }
  });
});

describe('takeOverReason', () => {
  const live = { token: 't', since: T0, expiresAt: T0 + 60_000 };
  const me = { owner: 'ann@build-7 pid 4242', host: here };
  it('takes over from a process on this host that no longer exists, before its lease runs out', () => {
    expect(takeOverReason({ ...live, owner: 'bob@build-7 pid 999' }, T0, me)).toBe('its process 999 no longer runs on this host');
    expect(takeOverReason({ ...live, owner: 'bob@BUILD-7 pid 999', expiresAt: undefined }, T0, me)).toBeDefined();
  });
  it('waits for a process that still runs, one on another host, and when it does not know its host', () => {
    expect(decideLock({ ...live, owner: 'ann@build-7 pid 4242' }, T0, me)).toBe('wait');
    expect(decideLock({ ...live, owner: 'bob@build-8 pid 999' }, T0, me)).toBe('wait');
    expect(decideLock({ ...live, owner: 'bob@build-7 pid 999' }, T0, { owner: me.owner })).toBe('wait');
  });
  it('takes over from an earlier attempt of the same GitHub run, and from nothing else of GitHub', () => {
    const self = { owner: 'acme/shop run 4211 attempt 2', host: here };
    expect(takeOverReason({ ...live, owner: 'acme/shop run 4211 attempt 1' }, T0, self)).toBe(
      'it is attempt 1 of this run, which is over now that attempt 2 runs',
    );
    for (const owner of ['acme/shop run 4211 attempt 2', 'acme/shop run 4211 attempt 3', 'acme/shop run 4212 attempt 1', 'acme/cart run 4211 attempt 1']) {
      expect(decideLock({ ...live, owner }, T0, self)).toBe('wait');
    }
  });
  it('still takes over a lease that ran out, whoever holds it', () => {
    expect(takeOverReason({ ...live, owner: 'acme/shop run 1 attempt 9' }, T0 + 60_000, me)).toBe('its lease ran out');
  });
});

describe('environment lock', () => {
  it('takes a free lock at once and lets the next run have it after release', async () => {
    const store = new MemoryStore();
    const clock = fakeClock();
    const first = createEnvironmentLock(store, clock);
    await first.acquire({ owner: 'run 1', timeoutMs: 0 });
    expect(store.holder?.owner).toBe('run 1');
    await first.release();
    await first.release();
    expect(store.holder).toBeUndefined();
  });

  it('waits for the holder, polling, and gets the lock once it is let go', async () => {
    const store = new MemoryStore();
    const clock = fakeClock();
    const holder = createEnvironmentLock(store, clock);
    await holder.acquire({ owner: 'run 1', timeoutMs: 0 });
    const releaseOnThirdSleep: Clock = {
      now: clock.now,
      sleep: async (ms) => {
        await clock.sleep(ms);
        if (clock.sleeps.length === 3) await holder.release();
      },
    };
    const infos: string[] = [];
    const logger = { debug() {}, info: (m: string) => infos.push(m), warning() {}, error() {} };
    await createEnvironmentLock(store, releaseOnThirdSleep, logger).acquire({ owner: 'run 2', timeoutMs: 60_000, pollMs: 1_000 });
    expect(store.holder?.owner).toBe('run 2');
    expect(clock.sleeps).toEqual([1_000, 1_000, 1_000]);
    expect(infos).toEqual(['lock shop/production: waiting for run 1 since 2025-03-01T12:00:00.000Z (expires 2025-03-01T12:01:00.000Z)']);
  });

  it('fails after the timeout naming the holder and since when, having changed nothing', async () => {
    const store = new MemoryStore();
    const clock = fakeClock();
    await createEnvironmentLock(store, clock).acquire({ owner: 'run 1', timeoutMs: 0 });
    const waiting = createEnvironmentLock(store, clock).acquire({ owner: 'run 2', timeoutMs: 5_000, pollMs: 2_000 });
    await expect(waiting).rejects.toThrow(ActionFailure);
    await expect(waiting).rejects.toThrow(
      'lock shop/production is held by run 1 since 2025-03-01T12:00:00.000Z (expires 2025-03-01T12:01:00.000Z); gave up waiting after 5s',
    );
    expect(clock.sleeps).toEqual([2_000, 2_000, 1_000]);
    expect(store.holder?.owner).toBe('run 1');
  });

  it('never takes over a lock it cannot read, and says how to clear it', async () => {
    const store = new MemoryStore();
    store.holder = { token: 'odd', owner: '', since: undefined, expiresAt: undefined };
    await expect(createEnvironmentLock(store, fakeClock()).acquire({ owner: 'run 2', timeoutMs: 3_600_000 })).rejects.toThrow(
      'is held by an unnamed owner since an unreadable time (an unreadable expiry); gave up waiting after 1h. ' +
        'Its lease cannot be read, so it never runs out: if no deploy or rollback is running, remove the lock by hand; nothing was changed',
    );
    expect(store.holder?.token).toBe('odd');
  });

  it('takes over a lock whose lease ran out, and the old holder can neither refresh nor release it', async () => {
    const store = new MemoryStore();
    const clock = fakeClock();
    const killed = createEnvironmentLock(store, clock);
    await killed.acquire({ owner: 'run 1', timeoutMs: 0, ttlMs: 60_000 });
    const warnings: string[] = [];
    const logger = { debug() {}, info() {}, warning: (m: string) => warnings.push(m), error() {} };
    await createEnvironmentLock(store, clock, logger).acquire({ owner: 'run 2', timeoutMs: 120_000, pollMs: 10_000 });
    expect(store.holder?.owner).toBe('run 2');
    expect(clock.now() - T0).toBe(60_000);
    expect(warnings[0]).toMatch(/taking over from run 1 since .*: its lease ran out/);
    await expect(killed.refresh()).rejects.toThrow(/our lease ran out at 2025-03-01T12:01:00.000Z before it was refreshed/);
    await killed.release();
    expect(store.holder?.owner).toBe('run 2');
  });

  it('refresh() moves the expiry to ttl from now, so a slow holder keeps the lock', async () => {
    const store = new MemoryStore();
    const clock = fakeClock();
    const holder = createEnvironmentLock(store, clock);
    await holder.acquire({ owner: 'run 1', timeoutMs: 0, ttlMs: 60_000 });
    await clock.sleep(50_000);
    await holder.refresh();
    expect(store.holder?.expiresAt).toBe(T0 + 110_000);
    await clock.sleep(50_000);
    await expect(createEnvironmentLock(store, clock).acquire({ owner: 'run 2', timeoutMs: 0 })).rejects.toThrow(/held by run 1/);
  });

  it('refresh() fails when the store says the lock was taken', async () => {
    const store = new MemoryStore();
    const holder = createEnvironmentLock(store, fakeClock());
    await holder.acquire({ owner: 'run 1', timeoutMs: 0 });
    store.holder = { token: 'other', owner: 'run 9', since: T0, expiresAt: T0 + 1 };
    await expect(holder.refresh()).rejects.toThrow('lock is no longer ours');
  });

  it('takes over at once from a holder whose process on this host is gone', async () => {
    const store = new MemoryStore();
    const clock = fakeClock();
    store.holder = { token: 'dead', owner: 'bob@build-7 pid 999', since: T0, expiresAt: T0 + 60_000 };
    const { warnings, logger } = recordingLogger();
    await createEnvironmentLock(store, clock, logger, { host: here }).acquire({ owner: 'ann@build-7 pid 4242', timeoutMs: 0 });
    expect(store.holder?.owner).toBe('ann@build-7 pid 4242');
    expect(clock.sleeps).toEqual([]);
    expect(warnings).toEqual([
      'lock shop/production: taking over from bob@build-7 pid 999 since 2025-03-01T12:00:00.000Z (expires 2025-03-01T12:01:00.000Z): ' +
        'its process 999 no longer runs on this host',
    ]);
  });

  it('takes over at once from an earlier attempt of its own run', async () => {
    const store = new MemoryStore();
    store.holder = { token: 'old', owner: 'acme/shop run 7 attempt 1', since: T0, expiresAt: T0 + 60_000 };
    await createEnvironmentLock(store, fakeClock()).acquire({ owner: 'acme/shop run 7 attempt 2', timeoutMs: 0 });
    expect(store.holder?.owner).toBe('acme/shop run 7 attempt 2');
  });
});

describe('heartbeat', () => {
  it('renews the lease every ttl/3 while held, and stops on release', async () => {
    const store = new MemoryStore();
    const clock = fakeClock();
    const scheduler = fakeScheduler(clock);
    const lock = createEnvironmentLock(store, clock, undefined, { scheduler });
    await lock.acquire({ owner: 'run 1', timeoutMs: 0 });
    expect(scheduler.due()).toEqual([20_000]);
    await scheduler.fire();
    expect(store.holder?.expiresAt).toBe(T0 + 80_000);
    await scheduler.fire();
    expect(store.holder?.expiresAt).toBe(T0 + 100_000);
    expect(scheduler.due()).toEqual([60_000]);
    await lock.release();
    expect(scheduler.due()).toEqual([]);
    expect(store.holder).toBeUndefined();
  });

  it('warns, never throws, when a renewal fails; tries again, and stops once the lease ran out', async () => {
    const store = new MemoryStore();
    const clock = fakeClock();
    const scheduler = fakeScheduler(clock);
    const { warnings, logger } = recordingLogger();
    const lock = createEnvironmentLock(store, clock, logger, { scheduler });
    await lock.acquire({ owner: 'run 1', timeoutMs: 0, ttlMs: 30_000 });
    const renew = store.renew.bind(store);
    store.renew = async () => {
      throw new ActionFailure('the Docker engine is unreachable');
    };
    await scheduler.fire();
    store.renew = renew;
    await scheduler.fire(); // recovers
    expect(store.holder?.expiresAt).toBe(T0 + 50_000);
    store.renew = async () => {
      throw new ActionFailure('the Docker engine is unreachable');
    };
    await scheduler.fire();
    await scheduler.fire();
    await scheduler.fire();
    expect(warnings).toEqual([
      'lock shop/production: could not renew our lease: the Docker engine is unreachable; it lasts until 2025-03-01T12:00:30.000Z; trying again',
      'lock shop/production: could not renew our lease: the Docker engine is unreachable; it lasts until 2025-03-01T12:00:50.000Z; trying again',
      'lock shop/production: could not renew our lease: the Docker engine is unreachable; it lasts until 2025-03-01T12:00:50.000Z; trying again',
      'lock shop/production: our lease ran out at 2025-03-01T12:00:50.000Z; the lock stops renewing itself',
    ]);
    expect(scheduler.due()).toEqual([]);
    await expect(lock.refresh()).rejects.toThrow(/our lease ran out/);
  });

  it('never runs two renewals at once: refresh() waits for the heartbeat and release() for both', async () => {
    const store = new MemoryStore();
    const clock = fakeClock();
    const scheduler = fakeScheduler(clock);
    const lock = createEnvironmentLock(store, clock, undefined, { scheduler });
    await lock.acquire({ owner: 'run 1', timeoutMs: 0 });
    const renew = store.renew.bind(store);
    let running = 0;
    let most = 0;
    const events: string[] = [];
    store.renew = async (...args) => {
      most = Math.max(most, ++running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      await renew(...args);
      running--;
      events.push('renewed');
    };
    const remove = store.remove.bind(store);
    store.remove = async (token) => {
      events.push('removed');
      await remove(token);
    };
    await scheduler.fire(); // the heartbeat's renewal is still running
    await Promise.all([lock.refresh(), lock.release()]);
    expect(most).toBe(1);
    expect(events).toEqual(['renewed', 'renewed', 'removed']);
    expect(store.holder).toBeUndefined();
  });

  it('is off without a scheduler: only refresh() renews the lease', async () => {
    const store = new MemoryStore();
    const lock = createEnvironmentLock(store, fakeClock());
    await lock.acquire({ owner: 'run 1', timeoutMs: 0 });
    await new Promise((resolve) => setImmediate(resolve));
    expect(store.holder?.expiresAt).toBe(T0 + 60_000);
  });
});
