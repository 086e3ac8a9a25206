import type { EnvironmentLock } from '../deploy/environment-lock.ts';
import type { ReleaseContainer, ReleaseSpec, RunningRelease, Target } from '../deploy/target.ts';
import { containerName } from '../deploy/release.ts';
import { ActionFailure, errorMessage } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { bootWaves, hostNames, hostsFailure, onEveryHost, onHost, type BootLimit, type FleetHost } from './fleet-host.ts';
import { mergeContainers, mostTelling } from './merge-containers.ts';

type Started = { host: FleetHost; release: RunningRelease };
type HostFailure = { message: string; error: unknown };

/** Proves a release healthy on one host (its own probes, its loopback), before the next wave starts. */
export type WaveProof = (host: FleetHost, release: RunningRelease) => Promise<{ healthy: boolean; message: string }>;

export interface FleetTargetOptions {
  logger: Logger;
  bootLimit?: BootLimit;
  /** Needed when the boot limit makes more than one wave; see releaseProof(). */
  proveWave?: WaveProof;
}

/**
 * Several hosts seen as one Target, so a strategy runs unchanged on a fleet. Changes (pull, start,
 * stop, remove) happen on every host; reads are merged so that the fleet counts as running a release
 * only when every host runs it, which makes the next deploy replace whatever diverged.
 */
export class FleetTarget implements Target {
  readonly #hosts: readonly FleetHost[];
  readonly #options: FleetTargetOptions;

  constructor(hosts: readonly FleetHost[], options: FleetTargetOptions) {
    this.#hosts = hosts;
    this.#options = options;
    if (bootWaves(hosts, options.bootLimit).length > 1 && !options.proveWave) {
      throw new Error('a fleet started in waves needs proveWave: how a wave is proven healthy before the next starts');
    }
  }

  describe(): string {
    return `Docker engines on ${hostNames(this.#hosts)}`;
  }

  async pull(image: string): Promise<void> {
    await onEveryHost(this.#hosts, (host) => host.target.pull(image));
  }

  /** The same digest on every host, or a refusal: a tag that differs between hosts would run different code. */
  async imageDigest(image: string): Promise<string> {
    const digests = await onEveryHost(this.#hosts, (host) => host.target.imageDigest(image));
    if (new Set(digests).size === 1) return digests[0]!;
    const each = this.#hosts.map((host, i) => `${host.name} ${digests[i]}`).join(', ');
    throw new ActionFailure(
      `image ${image} is not the same on every host (${each}): the hosts would run different code; push the image to the registry so every host pulls the same one`,
    );
  }

  /**
   * Starts the release on every host, in waves when a boot limit is set: each wave but the last
   * proven healthy on its hosts before the next starts (the last is proven by the strategy, with the
   * rest). When a host fails, the release is removed from every host where it started, the failed
   * host's container is left for the caller's evidence (as Target.start promises), and no later wave starts.
   */
  async start(spec: ReleaseSpec): Promise<RunningRelease> {
    const { logger, bootLimit } = this.#options;
    const waves = bootWaves(this.#hosts, bootLimit);
    const started: Started[] = [];
    for (const [index, wave] of waves.entries()) {
      if (waves.length > 1) logger.info(`starting release ${spec.labels.release} on ${hostNames(wave)} (wave ${index + 1} of ${waves.length})`);
      const failed = await this.#startWave(spec, wave, started);
      if (failed.length === 0 && index < waves.length - 1) failed.push(...(await this.#proveWave(spec, wave, started)));
      if (failed.length > 0) {
        await this.#undoStart(
          spec,
          started.map((s) => s.host),
        );
        const notStarted = waves.slice(index + 1).flat();
        const rest = notStarted.length > 0 ? `; not started on ${hostNames(notStarted)}` : '';
        const removed = started.length > 0 ? `; removed from ${hostNames(started.map((s) => s.host))}` : '';
        throw hostsFailure(failed, `${failed.map((f) => f.message).join('; ')}${removed}${rest}`);
      }
    }
    return started[0]!.release;
  }

  async stop(name: string, options: { graceMs: number }): Promise<void> {
    await onEveryHost(this.#hosts, (host) => host.target.stop(name, options));
  }

  async remove(name: string): Promise<void> {
    await onEveryHost(this.#hosts, (host) => host.target.remove(name));
  }

  /** The container of the host that explains most (stopped or unhealthy first): what a failure's evidence needs. */
  async inspect(name: string): Promise<ReleaseContainer | undefined> {
    return (await this.#telling(name))?.container;
  }

  /**
   * Each container name once: as it is when every host has it with the same release; the running
   * state only when it runs everywhere. A container that diverges between hosts is logged and
   * reported not running, so deploys replace it and rollbacks restart it on every host.
   */
  async list(selector: { app: string; environment?: string }): Promise<ReleaseContainer[]> {
    const lists = await onEveryHost(this.#hosts, (host) => host.target.list(selector));
    const { containers, divergences } = mergeContainers(this.#hosts.map((host, i) => ({ host: host.name, containers: lists[i]! })));
    for (const line of divergences) this.#options.logger.warning(`the hosts differ: ${line}`);
    return containers;
  }

  /** From the first host that has the container: each host was started with the same env. */
  async env(name: string): Promise<Record<string, string>> {
    const failures: string[] = [];
    for (const host of this.#hosts) {
      if (!(await host.target.inspect(name).catch(() => undefined))) continue;
      try {
        return await host.target.env(name);
      } catch (error) {
        failures.push(onHost(host, errorMessage(error)));
      }
    }
    throw new ActionFailure(`the env of ${name} could not be read on any host${failures.length ? `: ${failures.join('; ')}` : ': no host has it'}`);
  }

  /** The logs of the host inspect() picks, each line starting with its name. */
  async logs(name: string, options: { tail: number }): Promise<string> {
    const telling = await this.#telling(name);
    if (!telling) return '';
    const text = await telling.host.target.logs(name, options);
    return text === ''
      ? ''
      : text
          .replace(/\s+$/, '')
          .split('\n')
          .map((line) => onHost(telling.host, line))
          .join('\n');
  }

  /** The first host's lock covers the whole deploy: every run of the fleet takes it there first. */
  lock(app: string, environment: string): EnvironmentLock {
    return this.#hosts[0]!.target.lock(app, environment);
  }

  async #telling(name: string): Promise<{ host: FleetHost; container: ReleaseContainer } | undefined> {
    const found = await onEveryHost(this.#hosts, (host) => host.target.inspect(name));
    const index = mostTelling(found);
    return index === undefined ? undefined : { host: this.#hosts[index]!, container: found[index]! };
  }

  /** Starts the release on the wave's hosts at once; adds those where it runs to `started`. */
  async #startWave(spec: ReleaseSpec, wave: readonly FleetHost[], started: Started[]): Promise<HostFailure[]> {
    const settled = await Promise.allSettled(wave.map((host) => host.target.start(spec)));
    return settled.flatMap((result, i) => {
      if (result.status === 'fulfilled') started.push({ host: wave[i]!, release: result.value });
      return result.status === 'rejected' ? [{ message: onHost(wave[i]!, errorMessage(result.reason)), error: result.reason as unknown }] : [];
    });
  }

  /** The barrier between waves; a host that fails it leaves `started` but keeps its container for evidence, like one that exited at start. */
  async #proveWave(spec: ReleaseSpec, wave: readonly FleetHost[], started: Started[]): Promise<HostFailure[]> {
    const prove = this.#options.proveWave!;
    const proofs = await Promise.all(
      started
        .filter((s) => wave.includes(s.host))
        .map(async ({ host, release }) => ({
          host,
          proof: await prove(host, release).catch((error: unknown) => ({ healthy: false, message: errorMessage(error) })),
        })),
    );
    const unhealthy = proofs.filter((p) => !p.proof.healthy);
    started.splice(0, started.length, ...started.filter((s) => !unhealthy.some((u) => u.host === s.host)));
    return unhealthy.map(({ host, proof }) => ({
      message: onHost(host, `release ${spec.labels.release} did not become healthy: ${proof.message}`),
      error: new ActionFailure(proof.message),
    }));
  }

  async #undoStart(spec: ReleaseSpec, hosts: readonly FleetHost[]): Promise<void> {
    const name = containerName(spec.labels.app, spec.labels.environment, spec.labels.colour);
    await onEveryHost(hosts, (host) => host.target.remove(name)).catch((error: unknown) => {
      this.#options.logger.error(`release ${spec.labels.release} could not be removed from every host it started on: ${errorMessage(error)}`);
    });
  }
}
