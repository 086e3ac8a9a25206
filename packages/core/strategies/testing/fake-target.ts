import type { EnvironmentLock } from '../../deploy/environment-lock.ts';
import { releaseContainerName } from '../../deploy/release.ts';
import type { ReleaseContainer, ReleaseSpec, RunningRelease, Target } from '../../deploy/target.ts';
import { ActionFailure } from '../../errors.ts';
import type { ContainerState } from '../../health/prober.ts';
import { FakeLock } from './fake-lock.ts';

export interface FakeImage {
  digest: string;
  /** The container's last log line when it exits at start; undefined for an image that keeps running. */
  exitsAtStart?: string;
}

/**
 * A FAKE Docker host: containers in a map, images the registry can serve in another. Writes each change
 * to the shared journal, and notes any container stopped or removed while `isRouted` says it takes traffic.
 */
export class FakeTarget implements Target {
  readonly containers = new Map<string, RunningRelease>();
  readonly images = new Map<string, FakeImage>();
  readonly takenDownWhileRouted: string[] = [];
  /** The env each container was started with. */
  readonly envs = new Map<string, Record<string, string>>();
  #journal: string[];
  #lock: EnvironmentLock;
  #isRouted: (release: RunningRelease) => boolean;
  #ids = 0;
  #lockKey: string | undefined;
  #otherLocks = new Map<string, EnvironmentLock>();

  constructor(journal: string[], lock: EnvironmentLock, isRouted: (release: RunningRelease) => boolean) {
    this.#journal = journal;
    this.#lock = lock;
    this.#isRouted = isRouted;
  }

  /** What runs where, for assertions: `{ 'sidhe-shop.production-blue': 'running r…' }`. */
  snapshot(): Record<string, string> {
    return Object.fromEntries([...this.containers].sort().map(([name, c]) => [name, `${c.status.state} ${c.labels.release}`]));
  }

  containerState(name: string): ContainerState {
    return { status: this.containers.get(name)?.status.state ?? 'removed' };
  }

  describe(): string {
    return 'fake Docker engine';
  }

  async pull(image: string): Promise<void> {
    this.#journal.push(`pull ${image}`);
    if (!this.images.has(image)) throw new ActionFailure(`image ${image} cannot be pulled to the fake Docker engine, which does not have it: manifest unknown`);
  }

  async imageDigest(image: string): Promise<string> {
    const found = this.images.get(image);
    if (!found) throw new ActionFailure(`image ${image} is not on the fake Docker engine; pull it first`);
    return found.digest;
  }

  async start({ labels, env = {} }: ReleaseSpec): Promise<RunningRelease> {
    const name = releaseContainerName(labels);
    this.#journal.push(`start ${name} ${labels.release}`);
    if (this.containers.has(name)) throw new ActionFailure(`container ${name} already exists on the fake Docker engine`);
    const image = this.images.get(labels.image);
    if (!image) throw new ActionFailure(`image ${labels.image} is not on the fake Docker engine; pull it first`);
    const exits = image.exitsAtStart !== undefined;
    const container: RunningRelease = {
      name,
      id: `c${++this.#ids}`,
      trusted: true,
      labels: { ...labels },
      status: { state: exits ? 'exited' : 'running', running: !exits, exitCode: exits ? 1 : 0, health: 'none' },
    };
    this.containers.set(name, container);
    this.envs.set(name, { ...env });
    if (exits) throw new ActionFailure(`container ${name} (${labels.release}) exited at start with exit code 1: ${image.exitsAtStart}`);
    return structuredClone(container);
  }

  async stop(name: string): Promise<void> {
    this.#journal.push(`stop ${name}`);
    const container = this.containers.get(name);
    if (!container) return;
    this.#noteTakeDown(container);
    container.status = { ...container.status, state: 'exited', running: false, exitCode: 143 };
  }

  async remove(name: string): Promise<void> {
    this.#journal.push(`remove ${name}`);
    const container = this.containers.get(name);
    if (container?.status.running) this.#noteTakeDown(container);
    this.containers.delete(name);
    this.envs.delete(name);
  }

  async inspect(name: string): Promise<ReleaseContainer | undefined> {
    const container = this.containers.get(name);
    return container && structuredClone(container);
  }

  async list({ app, environment }: { app: string; environment?: string }): Promise<ReleaseContainer[]> {
    this.#journal.push('list');
    return [...this.containers.values()]
      .filter((c) => c.labels.app === app && (environment === undefined || c.labels.environment === environment))
      .sort((a, b) => a.labels.deployedAt.localeCompare(b.labels.deployedAt))
      .map((c) => structuredClone(c));
  }

  async env(name: string): Promise<Record<string, string>> {
    return { ...this.envs.get(name) };
  }

  async logs(): Promise<string> {
    return '';
  }

  /** The world's lock for the first app environment asked about; a lock of its own for each other one. */
  lock(app: string, environment: string): EnvironmentLock {
    const key = `${app}/${environment}`;
    this.#lockKey ??= key;
    if (key === this.#lockKey) return this.#lock;
    const other = this.#otherLocks.get(key) ?? new FakeLock(this.#journal);
    this.#otherLocks.set(key, other);
    return other;
  }

  #noteTakeDown(container: RunningRelease): void {
    if (this.#isRouted(container)) this.takenDownWhileRouted.push(container.name);
  }
}
