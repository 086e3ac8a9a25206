import { describe, expect, it } from 'vitest';
import { ActionFailure } from '../errors.ts';
import type { Clock } from '../health/clock.ts';
import { createEnvironmentLock, decideLock, type LockHolder, type LockStore } from './environment-lock.ts';

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

const T0 = Date.parse('2025-03-01T12:00:00Z');

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
    expect(infos).toEqual(['lock shop/production: waiting for run 1 since 2025-03-01T12:00:00.000Z (expires 2025-03-01T12:15:00.000Z)']);
  });

  it('fails after the timeout naming the holder and since when, having changed nothing', async () => {
    const store = new MemoryStore();
    const clock = fakeClock();
    await createEnvironmentLock(store, clock).acquire({ owner: 'run 1', timeoutMs: 0 });
    const waiting = createEnvironmentLock(store, clock).acquire({ owner: 'run 2', timeoutMs: 5_000, pollMs: 2_000 });
    await expect(waiting).rejects.toThrow(ActionFailure);
    await expect(waiting).rejects.toThrow(
      'lock shop/production is held by run 1 since 2025-03-01T12:00:00.000Z (expires 2025-03-01T12:15:00.000Z); gave up waiting after 5s',
    );
    expect(clock.sleeps).toEqual([2_000, 2_000, 1_000]);
    expect(store.holder?.owner).toBe('run 1');
  });

  it('never takes over a lock it cannot read, and says how to clear it', async () => {
    const store = new MemoryStore();
    store.holder = { token: 'odd', owner: '', since: undefined, expiresAt: undefined };
    await expect(createEnvironmentLock(store, fakeClock()).acquire({ owner: 'run 2', timeoutMs: 3_600_000 })).rejects.toThrow(
      'is held by an unnamed owner since an unreadable time (an unreadable expiry); gave up waiting after 60m. ' +
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
});
