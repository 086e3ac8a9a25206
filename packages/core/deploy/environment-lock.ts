import { ActionFailure, errorMessage } from '../errors.ts';
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
  /**
   * How long the lease lasts unless renewed: a run killed on another host blocks others this long. With a
   * scheduler the lock renews itself every ttl/3 while held, so this need not cover the longest step.
   */
  ttlMs?: number;
  pollMs?: number;
}

export const DEFAULT_LOCK_TTL_MS = 60_000;
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

/** A lock owner as the suite writes it (packages/runtime/run-context.ts `runner`). */
export type LockOwner =
  | { kind: 'process'; user: string; host: string; pid: number }
  | { kind: 'github-run'; repository: string; runId: string; attempt: number }
  | { kind: 'unknown' };

const PROCESS_OWNER = /^(?<user>.+)@(?<host>[^\s@]+) pid (?<pid>[1-9]\d*)$/;
const RUN_OWNER = /^(?<repository>[^\s/]+\/[^\s/]+) run (?<runId>\d+) attempt (?<attempt>[1-9]\d*)$/;

/** `user@host pid N` from a terminal, `<repo> run <id> attempt <n>` from GitHub; anything else is unknown. */
export function parseOwner(owner: string): LockOwner {
  const run = RUN_OWNER.exec(owner.trim())?.groups;
  if (run) return { kind: 'github-run', repository: run.repository!, runId: run.runId!, attempt: Number(run.attempt) };
  const local = PROCESS_OWNER.exec(owner.trim())?.groups;
  if (local) return { kind: 'process', user: local.user!, host: local.host!, pid: Number(local.pid) };
  return { kind: 'unknown' };
}

/** The machine this run is on, so that a holder that ran here can be seen to be gone. */
export interface LocalHost {
  /** As owners name it (`os.hostname()`). */
  name: string;
  pidExists(pid: number): boolean;
}

/** Who is asking: our own owner string and, when known, our machine. */
export interface Claimant {
  owner: string;
  host?: LocalHost;
}

/**
 * Why the holder is known to be gone, or undefined when it may still run. Gone: its lease ran out; or
 * it names a process on this host that no longer exists (killed, even with SIGKILL); or it is an
 * earlier attempt of our own GitHub run (GitHub re-runs only a finished run, so that attempt is over).
 * An owner that parses as neither is only ever freed by its lease.
 */
export function takeOverReason(holder: LockHolder, now: number, self?: Claimant): string | undefined {
  if (holder.expiresAt !== undefined && holder.expiresAt <= now) return 'its lease ran out';
  if (!self) return undefined;
  const theirs = parseOwner(holder.owner);
  if (theirs.kind === 'process' && self.host && sameHost(theirs.host, self.host.name) && !self.host.pidExists(theirs.pid)) {
    return `its process ${theirs.pid} no longer runs on this host`;
  }
  const ours = parseOwner(self.owner);
  if (
    theirs.kind === 'github-run' &&
    ours.kind === 'github-run' &&
    theirs.repository.toLowerCase() === ours.repository.toLowerCase() &&
    theirs.runId === ours.runId &&
    theirs.attempt < ours.attempt
  ) {
    return `it is attempt ${theirs.attempt} of this run, which is over now that attempt ${ours.attempt} runs`;
  }
  return undefined;
}

/**
 * Waits for a live holder; takes over from one known to be gone (see takeOverReason). A holder whose
 * expiry cannot be read, and that is not known to be gone, is waited for, not overruled.
 */
export function decideLock(holder: LockHolder, now: number, self?: Claimant): LockDecision {
  return takeOverReason(holder, now, self) === undefined ? 'wait' : 'take-over';
}

function sameHost(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

export function describeHolder(holder: LockHolder): string {
  const since = holder.since === undefined ? 'an unreadable time' : new Date(holder.since).toISOString();
  const expiry = holder.expiresAt === undefined ? 'an unreadable expiry' : `expires ${new Date(holder.expiresAt).toISOString()}`;
  return `${holder.owner || 'an unnamed owner'} since ${since} (${expiry})`;
}

/** Runs work later. The real one must not keep the process alive for it (an unref'd timer). */
export interface Scheduler {
  /** Calls fn once, ms from now; the returned function cancels the call. */
  after(ms: number, fn: () => void): () => void;
}

/** What only the edge knows; each part left out turns its feature off. */
export interface LockSurroundings {
  /** Renews the lease every ttl/3 while held; without it only refresh() renews it. */
  scheduler?: Scheduler;
  /** Lets a holder whose process on this host is gone be taken over at once. */
  host?: LocalHost;
}

interface Lease {
  token: string;
  owner: string;
  ttlMs: number;
  expiresAt: number;
  stopHeartbeat: () => void;
}

/** An EnvironmentLock over any store; the clock is handed in so tests run a ten-minute wait at once. */
export function createEnvironmentLock(
  store: LockStore,
  clock: Clock,
  logger: Logger = silentLogger,
  { scheduler, host }: LockSurroundings = {},
): EnvironmentLock {
  let held: Lease | undefined;
  // One renewal at a time: a store's renew (e.g. Docker's, which removes older renewals) is not safe run twice at once.
  let renewals: Promise<void> = Promise.resolve();

  function renew(lease: Lease): Promise<void> {
    const next = renewals.then(async () => {
      const now = clock.now();
      // Past our expiry another run may be taking over right now: carrying on could interleave with it.
      if (now >= lease.expiresAt) {
        throw new ActionFailure(
          `${store.describe()}: our lease ran out at ${new Date(lease.expiresAt).toISOString()} before it was refreshed; ` +
            'stopping so that two deploys do not interleave',
        );
      }
      await store.renew(lease.token, lease.owner, now + lease.ttlMs);
      lease.expiresAt = now + lease.ttlMs;
    });
    renewals = next.catch(() => undefined);
    return next;
  }

  function heartbeat(lease: Lease): void {
    if (!scheduler) return;
    const everyMs = Math.max(1, Math.floor(lease.ttlMs / 3));
    lease.stopHeartbeat = scheduler.after(everyMs, () => {
      if (held !== lease) return;
      if (clock.now() >= lease.expiresAt) {
        logger.warning(`${store.describe()}: our lease ran out at ${new Date(lease.expiresAt).toISOString()}; the lock stops renewing itself`);
        return;
      }
      renew(lease).then(
        () => {
          if (held === lease) heartbeat(lease);
        },
        (error: unknown) => {
          if (held !== lease) return; // let go meanwhile: nothing left to keep
          const until = new Date(lease.expiresAt).toISOString();
          logger.warning(`${store.describe()}: could not renew our lease: ${errorMessage(error)}; it lasts until ${until}; trying again`);
          heartbeat(lease);
        },
      );
    });
  }

  return {
    async acquire({ owner, timeoutMs, ttlMs = DEFAULT_LOCK_TTL_MS, pollMs = DEFAULT_LOCK_POLL_MS }) {
      if (held) throw new Error(`${store.describe()}: already held by this run`);
      const deadline = clock.now() + timeoutMs;
      let announced: string | undefined;
      for (;;) {
        const now = clock.now();
        const token = await store.create(owner, now, now + ttlMs);
        if (token !== undefined) {
          held = { token, owner, ttlMs, expiresAt: now + ttlMs, stopHeartbeat: () => {} };
          heartbeat(held);
          return;
        }
        const holder = await store.read();
        if (!holder) continue; // let go between our two calls: try again at once
        const gone = takeOverReason(holder, now, { owner, ...(host ? { host } : {}) });
        if (gone !== undefined) {
          logger.warning(`${store.describe()}: taking over from ${describeHolder(holder)}: ${gone}`);
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
      await renew(held);
    },

    async release() {
      if (!held) return;
      const { token, stopHeartbeat } = held;
      held = undefined;
      stopHeartbeat();
      await renewals; // a renewal in flight would otherwise add a renewal after the lock is gone
      await store.remove(token);
    },
  };
}
