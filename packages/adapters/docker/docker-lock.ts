import os from 'node:os';
import {
  createEnvironmentLock,
  type EnvironmentLock,
  type LocalHost,
  type LockHolder,
  type LockStore,
  type Scheduler,
} from '../../core/deploy/environment-lock.ts';
import { checkNamePart, LABEL_PREFIX } from '../../core/deploy/release.ts';
import { ActionFailure, errorMessage } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import { systemClock } from '../probes/system-clock.ts';
import { dockerWords, isNameConflict, isNoSuchContainer, isNoSuchImage, type DockerCli } from './docker-cli.ts';

const LABEL = {
  lock: `${LABEL_PREFIX}lock`,
  owner: `${LABEL_PREFIX}lock.owner`,
  since: `${LABEL_PREFIX}lock.since`,
  expires: `${LABEL_PREFIX}lock.expires`,
  renews: `${LABEL_PREFIX}lock.renews`,
} as const;

/**
 * `docker create` needs an image on the engine (with `--pull never` it fails "No such image"; without,
 * it tries a registry), but the lock is taken before the deploy pulls anything. So the lock's
 * containers come from an empty image the suite makes on the engine itself, offline: `docker import`
 * of an empty tar (0 bytes). A container of it is never started, so it needs no program inside.
 */
export const LOCK_IMAGE = 'sidhe-devops/lock:1';
const EMPTY_TAR = '\0'.repeat(1024); // two zero blocks: the end-of-archive marker and nothing before it

/** `sidhe-<app>.<environment>-lock`: no release container can have this name (theirs end in a colour). */
export function lockName(app: string, environment: string): string {
  return `sidhe-${checkNamePart('app', app)}.${checkNamePart('environment', environment)}-lock`;
}

/** What one create did: made the container, found the name taken, or failed (the engine's words). */
type Created = { id: string } | { taken: true } | { failure: string };

/** The part of a lock's container that is read. */
interface InspectedLock {
  Id: string;
  Config: { Labels: Record<string, string> | null };
}

/**
 * The environment's lock on a Docker engine. It renews itself while held, and takes over at once from a
 * holder on this machine whose process is gone.
 */
export function dockerLock(cli: DockerCli, app: string, environment: string, logger?: Logger): EnvironmentLock {
  return createEnvironmentLock(new DockerLockStore(cli, lockName(app, environment)), systemClock, logger, {
    scheduler: unrefScheduler,
    host: thisHost,
  });
}

/** setTimeout, unref'd: a lock's heartbeat never keeps a finished action's process alive. */
export const unrefScheduler: Scheduler = {
  after(ms, fn) {
    const timer = setTimeout(fn, ms);
    timer.unref();
    return () => clearTimeout(timer);
  },
};

/** This machine, named as packages/runtime/run-context.ts names it in a lock's owner. */
export const thisHost: LocalHost = {
  name: os.hostname(),
  pidExists(pid) {
    try {
      process.kill(pid, 0); // signal 0: no signal, only the check that the process exists
      return true;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'EPERM'; // it exists, run by another user
    }
  },
};

/**
 * The lock is a created (never started) container with a fixed name: the engine refuses a second
 * container of the same name, so `docker create` is an atomic test-and-set with no state outside the
 * engine. Labels say who holds it, since when and until when. Labels cannot change after create, so a
 * refresh adds a renewal container (`<lock>.<lock id>.<expiry ms>`) naming the lock by its id; the
 * expiry is the latest of them. The lock's id is the token: removing by id can never remove a lock
 * someone else took over in the meantime.
 */
export class DockerLockStore implements LockStore {
  readonly #cli: DockerCli;
  readonly #name: string;

  constructor(cli: DockerCli, name: string) {
    this.#cli = cli;
    this.#name = name;
  }

  describe(): string {
    return `lock ${this.#name} on the ${this.#cli.describe()}`;
  }

  async create(owner: string, since: number, expiresAt: number): Promise<string | undefined> {
    const labels = { [LABEL.lock]: this.#name, [LABEL.owner]: owner, [LABEL.since]: iso(since), [LABEL.expires]: iso(expiresAt) };
    const id = await this.#createContainer(this.#name, labels);
    if (id !== undefined) await this.#removeOrphanRenewals(id);
    return id;
  }

  async read(): Promise<LockHolder | undefined> {
    const lock = await this.#inspect();
    if (!lock) return undefined;
    const token = lock.Id;
    const labels = lock.Config.Labels ?? {};
    const renewals = await this.#renewals(token);
    const expiries = [labels[LABEL.expires], ...renewals.map((r) => r.expires)].map(time);
    return {
      token,
      owner: labels[LABEL.owner] ?? '',
      since: time(labels[LABEL.since]),
      // One unreadable expiry makes the whole lease unreadable: better to wait than to break a live lock.
      expiresAt: expiries.includes(undefined) ? undefined : Math.max(...(expiries as number[])),
    };
  }

  async renew(token: string, owner: string, expiresAt: number): Promise<void> {
    const name = `${this.#name}.${token.slice(0, 12)}.${expiresAt}`;
    const labels = { [LABEL.lock]: this.#name, [LABEL.renews]: token, [LABEL.owner]: owner, [LABEL.expires]: iso(expiresAt) };
    const renewal = await this.#createContainer(name, labels);
    const holder = await this.read();
    if (renewal === undefined || holder?.token !== token) {
      await this.#removeContainers([name]);
      const now = holder ? `it is now held by ${holder.owner}` : 'it is gone';
      throw new ActionFailure(`${this.describe()} is no longer ours (${now}); stopping so that two deploys do not interleave`);
    }
    const older = (await this.#renewals(token)).filter((r) => r.id !== renewal).map((r) => r.id);
    if (older.length > 0) await this.#removeContainers(older);
  }

  async remove(token: string): Promise<void> {
    const renewals = await this.#renewals(token);
    await this.#removeContainers([token, ...renewals.map((r) => r.id)]);
  }

  /** `docker rm --force`; one already gone is no error. */
  async #removeContainers(refs: string[]): Promise<void> {
    if (this.#cli.api) {
      await this.#cli.api.removeContainers(refs).catch((error: unknown) => {
        throw new ActionFailure(`${this.describe()}: cannot remove it: ${errorMessage(error)}`);
      });
      return;
    }
    const result = await this.#cli.run(['rm', '--force', ...refs]);
    if (result.exitCode !== 0 && !isNoSuchContainer(result.stderr)) {
      throw new ActionFailure(`${this.describe()}: cannot remove it: ${dockerWords(result.stderr)}`);
    }
  }

  /** The lock's container as `docker container inspect` prints it (the Engine API answers the same), or undefined when there is none. */
  async #inspect(): Promise<InspectedLock | undefined> {
    if (this.#cli.api) return (await this.#cli.api.inspectContainer(this.#name)) as InspectedLock | undefined;
    const result = await this.#cli.run(['container', 'inspect', this.#name]);
    if (result.exitCode !== 0) {
      if (isNoSuchContainer(result.stderr)) return undefined;
      throw new ActionFailure(`${this.describe()}: cannot read it: ${dockerWords(result.stderr)}`);
    }
    return (JSON.parse(result.stdout) as InspectedLock[])[0];
  }

  /** The container's id, or undefined when the name is taken. */
  async #createContainer(name: string, labels: Record<string, string>): Promise<string | undefined> {
    const created = await this.#create(name, labels);
    if (!('failure' in created) || !isNoSuchImage(created.failure)) return this.#created(name, created);
    await this.#cli.check(`creating the lock image ${LOCK_IMAGE}`, ['import', '--message', 'SIDHE DevOps lock: empty', '-', LOCK_IMAGE], {
      input: EMPTY_TAR,
    });
    return this.#created(name, await this.#create(name, labels));
  }

  #created(name: string, created: Created): string | undefined {
    if ('id' in created) return created.id;
    if ('taken' in created) return undefined;
    throw new ActionFailure(`${this.describe()}: cannot create ${name}: ${dockerWords(created.failure)}`);
  }

  /** One create, through the Engine API when there is one (a name taken is its 409), else `docker create`. */
  async #create(name: string, labels: Record<string, string>): Promise<Created> {
    // The command is never run; the engine only insists that a container has one.
    if (this.#cli.api) {
      try {
        const id = await this.#cli.api.createContainer(name, { Image: LOCK_IMAGE, Cmd: ['lock'], Labels: labels });
        return id === undefined ? { taken: true } : { id };
      } catch (error) {
        return { failure: errorMessage(error) };
      }
    }
    const args = ['create', '--pull', 'never', '--name', name, ...Object.entries(labels).flatMap(([k, v]) => ['--label', `${k}=${v}`])];
    const result = await this.#cli.run([...args, LOCK_IMAGE, 'lock']);
    if (result.exitCode === 0) return { id: result.stdout.trim() };
    return isNameConflict(result.stderr) ? { taken: true } : { failure: result.stderr };
  }

  async #renewals(token: string): Promise<{ id: string; expires: string }[]> {
    return this.#list(`${LABEL.renews}=${token}`);
  }

  /** Renewals whose lock is gone: left by a run killed between removing a lock and its renewals. */
  async #removeOrphanRenewals(token: string): Promise<void> {
    const all = await this.#list(`${LABEL.lock}=${this.#name}`);
    const orphans = all.filter((r) => r.renews !== '' && r.renews !== token).map((r) => r.id);
    if (orphans.length > 0) await this.#removeContainers(orphans);
  }

  async #list(filter: string): Promise<{ id: string; renews: string; expires: string }[]> {
    if (this.#cli.api) {
      return (await this.#cli.api.listContainers([filter])).map((c) => ({
        id: c.Id,
        renews: c.Labels?.[LABEL.renews] ?? '',
        expires: c.Labels?.[LABEL.expires] ?? '',
      }));
    }
    const format = `{{.ID}}\t{{.Label "${LABEL.renews}"}}\t{{.Label "${LABEL.expires}"}}`;
    const out = await this.#cli.check(`listing ${this.#name}`, ['ps', '--all', '--no-trunc', '--filter', `label=${filter}`, '--format', format]);
    return out
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => {
        const [id = '', renews = '', expires = ''] = line.split('\t');
        return { id, renews, expires };
      });
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function time(text: string | undefined): number | undefined {
  const ms = text === undefined ? NaN : Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}
