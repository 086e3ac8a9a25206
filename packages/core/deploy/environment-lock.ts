import { ActionFailure } from '../errors.ts';
import type { Clock } from '../health/clock.ts';
import { formatDuration } from '../inputs/durations.ts';
import { silentLogger, type Logger } from '../logger.ts';

/** Keeps two deploys or rollbacks of one app's environment from interleaving. */
export interface EnvironmentLock {
  /** Waits for the holder to let go (or its lease to run out); fails after timeoutMs naming the holder. */
  acquire(options: AcquireOptions): Promise<void>;
  /** Extends our lease to ttl from now; call during long steps. Fails if the lock was taken from us. */
  refresh(): Promise<void>;
  /** Lets go, if the lock is still ours. Safe to call twice, or without holding it. */
  release(): Promise<void>;
}

export interface AcquireOptions {
  /** Who holds it, for the waiting side's messages: e.g. `acme/shop run 4211 attempt 1`. */
  owner: string;
  timeoutMs: number;
  /** How long the lease lasts without refresh(): a run killed while holding it blocks others this long. */
  ttlMs?: number;
  pollMs?: number;
}

export const DEFAULT_LOCK_TTL_MS = 15 * 60_000;
export const DEFAULT_LOCK_POLL_MS = 2_000;

/** The holder as the store reads it; times are ms since the epoch, undefined when unreadable. */
export interface LockHolder {
  /** The store's handle on this very lock (e.g. a container id): breaking or releasing it acts on no other. */
  token: string;
  owner: string;
  since: number | undefined;
  expiresAt: number | undefined;
}

/**
 * Where a lock lives. create() must be atomic: exactly one of several concurrent callers gets a token.
 */
export interface LockStore {
  /** e.g. `lock sidhe-shop.prod-lock on the Docker engine at unix:///run/docker.sock`. */
  describe(): string;
  /** The new lock's token, or undefined when someone holds it. */
  create(owner: string, since: number, expiresAt: number): Promise<string | undefined>;
  read(): Promise<LockHolder | undefined>;
  /** Moves the expiry of the lock `token`; fails when that lock is gone. */
  renew(token: string, owner: string, expiresAt: number): Promise<void>;
  /** Removes the lock `token` and nothing else; a lock that is gone already is not an error. */
  remove(token: string): Promise<void>;
}

export type LockDecision = 'wait' | 'take-over';

/**
 * Waits for a live holder; takes over from one whose lease ran out (its run was killed). A holder whose
 * expiry cannot be read is waited for, not overruled: we cannot tell it is dead.
 */
export function decideLock(holder: LockHolder, now: number): LockDecision {
  return holder.expiresAt !== undefined && holder.expiresAt <= now ? 'take-over' : 'wait';
}

export function describeHolder(holder: LockHolder): string {
  const since = holder.since === undefined ? 'an unreadable time' : new Date(holder.since).toISOString();
  const expiry = holder.expiresAt === undefined ? 'an unreadable expiry' : `expires ${new Date(holder.expiresAt).toISOString()}`;
  return `${holder.owner || 'an unnamed owner'} since ${since} (${expiry})`;
}

/** An EnvironmentLock over any store; the clock is handed in so tests run a ten-minute wait at once. */
export function createEnvironmentLock(store: LockStore, clock: Clock, logger: Logger = silentLogger): EnvironmentLock {
  let held: { token: string; owner: string; ttlMs: number; expiresAt: number } | undefined;

  return {
    async acquire({ owner, timeoutMs, ttlMs = DEFAULT_LOCK_TTL_MS, pollMs = DEFAULT_LOCK_POLL_MS }) {
      if (held) throw new Error(`${store.describe()}: already held by this run`);
      const deadline = clock.now() + timeoutMs;
      let announced: string | undefined;
      for (;;) {
        const now = clock.now();
        const token = await store.create(owner, now, now + ttlMs);
        if (token !== undefined) {
          held = { token, owner, ttlMs, expiresAt: now + ttlMs };
          return;
        }
        const holder = await store.read();
        if (!holder) continue; // let go between our two calls: try again at once
        if (decideLock(holder, now) === 'take-over') {
          logger.warning(`${store.describe()}: taking over from ${describeHolder(holder)}: its lease ran out`);
          await store.remove(holder.token);
          continue;
        }
        if (now >= deadline) {
          const why =
            holder.expiresAt === undefined
              ? 'Its lease cannot be read, so it never runs out: if no deploy or rollback is running, remove the lock by hand'
              : 'Another deploy or rollback of this environment is running';
          throw new ActionFailure(
            `${store.describe()} is held by ${describeHolder(holder)}; gave up waiting after ${formatDuration(timeoutMs)}. ${why}; nothing was changed`,
          );
        }
        if (announced !== holder.token) {
          logger.info(`${store.describe()}: waiting for ${describeHolder(holder)}`);
          announced = holder.token;
        }
        await clock.sleep(Math.min(pollMs, deadline - now));
      }
    },

    async refresh() {
      if (!held) throw new Error(`${store.describe()}: refresh() without holding the lock`);
      const now = clock.now();
      // Past our expiry another run may be taking over right now: carrying on could interleave with it.
      if (now >= held.expiresAt) {
        throw new ActionFailure(
          `${store.describe()}: our lease ran out at ${new Date(held.expiresAt).toISOString()} before it was refreshed; ` +
            'stopping so that two deploys do not interleave',
        );
      }
      await store.renew(held.token, held.owner, now + held.ttlMs);
      held.expiresAt = now + held.ttlMs;
    },

    async release() {
      if (!held) return;
      const { token } = held;
      held = undefined;
      await store.remove(token);
    },
  };
}
