import type { EnvironmentLock } from '../../core/deploy/environment-lock.ts';
import { encodeReleaseLabels, RELEASE_LABEL_KEYS, releaseContainerName } from '../../core/deploy/release.ts';
import type { ReleaseContainer, ReleaseSpec, RunningRelease, Target } from '../../core/deploy/target.ts';
import type { ContainerInventory, ContainerSnapshot } from '../../core/monitor/infrastructure-status.ts';
import { ActionFailure, ConfigurationError } from '../../core/errors.ts';
import { silentLogger, type Logger } from '../../core/logger.ts';
import { systemClock } from '../probes/system-clock.ts';
import { parseContainers, pickImageDigest, serviceEnv, toReleaseContainer } from './container-record.ts';
import { DockerCli, dockerWords, isNameConflict, isNoSuchContainer, isNoSuchImage, type DockerCliOptions } from './docker-cli.ts';
import { dockerLock } from './docker-lock.ts';
import { listManagedContainers } from './managed-containers.ts';
import { withEnvFile } from './env-file.ts';

export interface DockerTargetOptions extends DockerCliOptions {
  logger?: Logger;
  /** How long start() watches a new container for an exit before calling it started. Default 1 s. */
  settleMs?: number;
  /** Limit for one pull. Default 10 min. */
  pullTimeoutMs?: number;
  /**
   * Brings an image the engine cannot pull and does not have from elsewhere (a remote host's image
   * streamed from the runner's engine); resolves false when it has none to give.
   */
  supplyImage?: (image: string) => Promise<boolean>;
}

const LOG_LINES_IN_MESSAGES = 15;

/**
 * The Target on a Docker engine, through the docker CLI (so `ssh://` hosts and docker contexts work);
 * its reads go to the Engine API instead when the engine is a unix socket (DockerCli.api).
 */
export class DockerTarget implements Target, ContainerInventory {
  readonly #cli: DockerCli;
  readonly #logger: Logger;
  readonly #settleMs: number;
  readonly #pullTimeoutMs: number;
  readonly #supplyImage: ((image: string) => Promise<boolean>) | undefined;

  constructor(options: DockerTargetOptions = {}) {
    this.#cli = new DockerCli(options);
    this.#logger = options.logger ?? silentLogger;
    this.#settleMs = options.settleMs ?? 1_000;
    this.#pullTimeoutMs = options.pullTimeoutMs ?? 10 * 60_000;
    this.#supplyImage = options.supplyImage;
  }

  describe(): string {
    return this.#cli.describe();
  }

  async pull(image: string): Promise<void> {
    // A digest names one image for ever: when the engine has it, a registry has nothing newer to say.
    if (image.includes('@sha256:') && (await this.#imageExists(image))) return;
    const pulled = await this.#cli.run(['pull', '--quiet', image], { timeoutMs: this.#pullTimeoutMs });
    if (pulled.exitCode === 0) {
      this.#logger.info(`pulled ${image} on the ${this.describe()}`);
      return;
    }
    if (await this.#imageExists(image)) {
      this.#logger.warning(`could not pull ${image} (${dockerWords(pulled.stderr)}); using the copy already on the ${this.describe()}`);
      return;
    }
    if (this.#supplyImage && (await this.#supplyImage(image))) {
      this.#logger.info(`could not pull ${image} (${dockerWords(pulled.stderr)}); copied it from the runner's engine to the ${this.describe()}`);
      return;
    }
    throw new ActionFailure(`image ${image} cannot be pulled to the ${this.describe()}, which does not have it: ${dockerWords(pulled.stderr)}`);
  }

  async imageDigest(image: string): Promise<string> {
    if (this.#cli.api) {
      const inspected = (await this.#cli.api.inspectImage(image)) as { RepoDigests: string[] | null; Id: string } | undefined;
      if (!inspected) throw new ActionFailure(`image ${image} is not on the ${this.describe()}; pull it first`);
      return pickImageDigest(image, inspected.RepoDigests ?? [], inspected.Id);
    }
    const result = await this.#cli.run(['image', 'inspect', '--format', '{{json .RepoDigests}}\t{{.Id}}', image]);
    if (result.exitCode !== 0) {
      if (isNoSuchImage(result.stderr)) throw new ActionFailure(`image ${image} is not on the ${this.describe()}; pull it first`);
      throw new ActionFailure(`reading image ${image} failed on the ${this.describe()}: ${dockerWords(result.stderr)}`);
    }
    const [digests = 'null', id = ''] = result.stdout.trim().split('\t');
    return pickImageDigest(image, (JSON.parse(digests) as string[] | null) ?? [], id);
  }

  async start(spec: ReleaseSpec): Promise<RunningRelease> {
    const { labels } = spec;
    const encoded = encodeReleaseLabels(labels);
    const name = releaseContainerName(labels);
    const env = spec.env ?? {};
    if ('PORT' in env) {
      throw new ConfigurationError(`env: PORT is set by the suite (this release listens on 127.0.0.1:${labels.port}); remove it from env`);
    }
    const args = [
      'run',
      '--detach',
      '--name',
      name,
      '--network',
      'host',
      // The restart policy comes after the settle time, so a container that exits at start stays
      // exited with its exit code instead of restarting in a loop.
      '--restart',
      'no',
      '--pull',
      'never',
      ...Object.entries(encoded).flatMap(([key, value]) => ['--label', `${key}=${value}`]),
      '--env',
      `PORT=${labels.port}`,
    ];
    const result = await withEnvFile(env, (envFile) => this.#cli.run([...args, '--env-file', envFile, labels.image]));
    if (result.exitCode !== 0) throw this.#startFailure(name, labels.image, result.stderr);
    this.#logger.info(`started ${name} (${labels.release}, ${labels.image}) on 127.0.0.1:${labels.port}`);
    await this.#settle(name, labels.release);
    await this.#setRestartPolicy(name);
    const started = await this.inspect(name);
    if (!started?.trusted) throw new ActionFailure(`container ${name} vanished or lost its labels right after it started`);
    return started;
  }

  async stop(name: string, { graceMs }: { graceMs: number }): Promise<void> {
    const seconds = Math.max(0, Math.ceil(graceMs / 1000));
    if (this.#cli.api) return this.#cli.api.stopContainer(name, seconds);
    const result = await this.#cli.run(['stop', '--time', String(seconds), name], { timeoutMs: graceMs + 60_000 });
    if (result.exitCode !== 0 && !isNoSuchContainer(result.stderr)) {
      throw new ActionFailure(`stopping ${name} failed on the ${this.describe()}: ${dockerWords(result.stderr)}`);
    }
  }

  async remove(name: string): Promise<void> {
    if (this.#cli.api) return this.#cli.api.removeContainers([name]);
    const result = await this.#cli.run(['rm', '--force', name]);
    if (result.exitCode !== 0 && !isNoSuchContainer(result.stderr)) {
      throw new ActionFailure(`removing ${name} failed on the ${this.describe()}: ${dockerWords(result.stderr)}`);
    }
  }

  async inspect(name: string): Promise<ReleaseContainer | undefined> {
    return (await this.#inspect([name]))[0];
  }

  async list({ app, environment }: { app: string; environment?: string }): Promise<ReleaseContainer[]> {
    const labels = [`${RELEASE_LABEL_KEYS.app}=${app}`, ...(environment ? [`${RELEASE_LABEL_KEYS.environment}=${environment}`] : [])];
    const ids = await this.#listIds(`listing the containers of ${app}${environment ? `/${environment}` : ''}`, labels);
    if (ids.length === 0) return [];
    const deployedAt = (c: ReleaseContainer) => (c.trusted ? c.labels.deployedAt : '~'); // untrusted last
    return (await this.#inspect(ids)).sort((a, b) => deployedAt(a).localeCompare(deployedAt(b)) || a.name.localeCompare(b.name));
  }

  async env(name: string): Promise<Record<string, string>> {
    const container = await this.#cli.check(`reading the environment of ${name}`, [
      'container',
      'inspect',
      '--format',
      '{{json .Config.Env}}\t{{.Image}}',
      name,
    ]);
    const [envJson = 'null', imageId = ''] = container.trim().split('\t');
    const image = await this.#cli.check(`reading the environment of ${name}'s image`, ['image', 'inspect', '--format', '{{json .Config.Env}}', imageId]);
    return serviceEnv(JSON.parse(envJson) as string[] | null, JSON.parse(image.trim()) as string[] | null);
  }

  async logs(name: string, { tail }: { tail: number }): Promise<string> {
    const result = await this.#cli.run(['logs', '--tail', String(tail), name]);
    if (result.exitCode !== 0) throw new ActionFailure(`reading the logs of ${name} failed on the ${this.describe()}: ${dockerWords(result.stderr)}`);
    // The container's stdout and stderr arrive on ours; their interleaving is lost, both are kept.
    return `${result.stdout}${result.stderr}`.trimEnd();
  }

  /** `docker logs --timestamps`: every line (stdout and stderr) starts with its RFC 3339 time. */
  async timestampedLogs(name: string, { tail, since }: { tail: number; since?: string }): Promise<string> {
    const args = ['logs', '--timestamps', '--tail', String(tail), ...(since ? ['--since', since] : []), name];
    const result = await this.#cli.run(args);
    if (result.exitCode !== 0) throw new ActionFailure(`reading the logs of ${name} failed on the ${this.describe()}: ${dockerWords(result.stderr)}`);
    return `${result.stdout}\n${result.stderr}`;
  }

  /** Every container with the suite's release labels, whatever its app, with CPU and memory of those that run. */
  managedContainers(selector: { app?: string; environment?: string } = {}): Promise<ContainerSnapshot[]> {
    return listManagedContainers(this.#cli, selector);
  }

  lock(app: string, environment: string): EnvironmentLock {
    return dockerLock(this.#cli, app, environment, this.#logger);
  }

  async #imageExists(image: string): Promise<boolean> {
    if (this.#cli.api) return (await this.#cli.api.inspectImage(image)) !== undefined;
    const result = await this.#cli.run(['image', 'inspect', '--format', '{{.Id}}', image]);
    if (result.exitCode === 0) return true;
    if (isNoSuchImage(result.stderr)) return false;
    throw new ActionFailure(`reading image ${image} failed on the ${this.describe()}: ${dockerWords(result.stderr)}`);
  }

  /** After the settle time: a release that crashes later is restarted by its engine (see start()). */
  async #setRestartPolicy(name: string): Promise<void> {
    if (this.#cli.api) return this.#cli.api.setRestartPolicy(name, 'unless-stopped');
    await this.#cli.check(`setting the restart policy of ${name}`, ['update', '--restart', 'unless-stopped', name]);
  }

  /** Containers by name or id; those that vanished meanwhile are left out. */
  async #inspect(refs: string[]): Promise<ReleaseContainer[]> {
    if (this.#cli.api) return (await this.#cli.api.inspectContainers(refs)).map(toReleaseContainer);
    const result = await this.#cli.run(['container', 'inspect', ...refs]);
    // With several refs docker prints the ones it found and fails for the others.
    const onlyMissing = result.stderr.split('\n').every((line) => line.trim() === '' || isNoSuchContainer(line));
    if (result.exitCode !== 0 && !onlyMissing) {
      throw new ActionFailure(`inspecting ${refs.join(', ')} failed on the ${this.describe()}: ${dockerWords(result.stderr)}`);
    }
    return result.stdout.trim().startsWith('[') ? parseContainers(result.stdout) : [];
  }

  /** Ids of every container (running or not) with all these labels (`key=value`). */
  async #listIds(what: string, labels: readonly string[]): Promise<string[]> {
    if (this.#cli.api) return (await this.#cli.api.listContainers(labels)).map((c) => c.Id);
    const out = await this.#cli.check(what, ['ps', '--all', '--quiet', '--no-trunc', ...labels.flatMap((label) => ['--filter', `label=${label}`])]);
    return out.split('\n').filter((id) => id.trim() !== '');
  }

  /** Fails when the new container stops within the settle time, quoting its last lines. */
  async #settle(name: string, release: string): Promise<void> {
    const deadline = systemClock.now() + this.#settleMs;
    for (;;) {
      const container = await this.inspect(name);
      if (!container) throw new ActionFailure(`container ${name} (${release}) vanished right after it started`);
      if (!container.status.running) {
        const lines = await this.logs(name, { tail: LOG_LINES_IN_MESSAGES }).catch(() => '');
        throw new ActionFailure(
          `container ${name} (${release}) exited at start with exit code ${container.status.exitCode}: ` +
            (lines === '' ? 'it printed nothing' : lines.split('\n').join(' | ')),
        );
      }
      if (systemClock.now() >= deadline) return;
      await systemClock.sleep(100);
    }
  }

  #startFailure(name: string, image: string, stderr: string): ActionFailure {
    if (isNameConflict(stderr)) {
      return new ActionFailure(`container ${name} already exists on the ${this.describe()}; remove it before starting this colour again`);
    }
    if (isNoSuchImage(stderr)) return new ActionFailure(`image ${image} is not on the ${this.describe()}; pull it first`);
    return new ActionFailure(`starting ${name} from ${image} failed on the ${this.describe()}: ${dockerWords(stderr)}`);
  }
}
