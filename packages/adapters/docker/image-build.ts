import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ActionFailure, ConfigurationError } from '../../core/errors.ts';
import type { KeyValue } from '../../core/images/index.ts';
import { silentLogger, type Logger } from '../../core/logger.ts';
import { DockerCli, dockerWords, type DockerCliOptions } from './docker-cli.ts';

export interface BuildSpec {
  context: string;
  dockerfile: string;
  target?: string;
  buildArgs: readonly KeyValue[];
  labels: Readonly<Record<string, string>>;
  tags: readonly string[];
  /** Build every step afresh (the benchmark's cold runs). */
  noCache?: boolean;
}

export type Builder = 'buildx' | 'classic';

export interface BuildResult {
  imageId: string;
  builder: Builder;
  durationMs: number;
}

export interface ImageBuilderOptions extends DockerCliOptions {
  logger?: Logger;
  /** Limit for one build or push. Default 30 min. */
  longTimeoutMs?: number;
}

/**
 * Build, push and registry login through the Docker CLI: BuildKit through buildx when the CLI has
 * it, the classic builder (DOCKER_BUILDKIT=0) otherwise. Passwords go to `docker login` on stdin.
 */
export class ImageBuilder {
  readonly #cli: DockerCli;
  readonly #classic: DockerCli;
  readonly #logger: Logger;
  readonly #longTimeoutMs: number;
  #builder: Promise<Builder> | undefined;

  constructor(options: ImageBuilderOptions = {}) {
    const env = options.env ?? process.env;
    this.#cli = new DockerCli(options);
    this.#classic = new DockerCli({ ...options, env: { ...env, DOCKER_BUILDKIT: '0' } });
    this.#logger = options.logger ?? silentLogger;
    this.#longTimeoutMs = options.longTimeoutMs ?? 30 * 60_000;
  }

  describe(): string {
    return this.#cli.describe();
  }

  builder(): Promise<Builder> {
    this.#builder ??= this.#cli.run(['buildx', 'version']).then((r) => (r.exitCode === 0 ? 'buildx' : 'classic'));
    return this.#builder;
  }

  async build(spec: BuildSpec): Promise<BuildResult> {
    const builder = await this.builder();
    const scratch = await mkdtemp(path.join(os.tmpdir(), 'sidhe-build-'));
    const iidfile = path.join(scratch, 'image-id');
    const args = [
      ...(builder === 'buildx' ? ['buildx', 'build', '--load'] : ['build']),
      '--file',
      spec.dockerfile,
      '--iidfile',
      iidfile,
      ...(spec.target ? ['--target', spec.target] : []),
      ...(spec.noCache ? ['--no-cache'] : []),
      ...spec.buildArgs.flatMap(({ key, value }) => ['--build-arg', `${key}=${value}`]),
      ...Object.entries(spec.labels).flatMap(([key, value]) => ['--label', `${key}=${value}`]),
      ...spec.tags.flatMap((tag) => ['--tag', tag]),
      spec.context,
    ];
    this.#logger.info(`building ${spec.tags[0] ?? 'the image'} with the ${builder === 'buildx' ? 'BuildKit (buildx)' : 'classic'} builder`);
    const started = performance.now();
    try {
      const cli = builder === 'buildx' ? this.#cli : this.#classic;
      const result = await cli.run(args, { timeoutMs: this.#longTimeoutMs });
      if (result.exitCode !== 0) {
        const lastSteps = result.stdout.trim().split('\n').slice(-5).join(' | ');
        throw new ActionFailure(
          `docker build failed on the ${this.describe()}: ${dockerWords(result.stderr)}${lastSteps ? ` (last output: ${lastSteps})` : ''}`,
        );
      }
      const imageId = (await readFile(iidfile, 'utf8')).trim();
      return { imageId, builder, durationMs: performance.now() - started };
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }

  async login(registry: string, username: string, password: string): Promise<void> {
    const result = await this.#cli.run(['login', registry, '--username', username, '--password-stdin'], { input: password });
    if (result.exitCode === 0) return;
    const words = dockerWords(result.stderr);
    if (/unauthorized|incorrect username or password|authentication required|denied/i.test(words)) {
      throw new ConfigurationError(`registry ${registry} refused the credentials of user ${username}; check username and password (docker login: ${words})`);
    }
    throw registryFailure(registry, 'docker login', words);
  }

  async logout(registry: string): Promise<void> {
    await this.#cli.run(['logout', registry]);
  }

  /** Pushes a tag; returns the manifest digest the registry stored. */
  async push(tag: string): Promise<string> {
    const result = await this.#cli.run(['push', tag], { timeoutMs: this.#longTimeoutMs });
    if (result.exitCode !== 0) {
      const words = dockerWords(result.stderr);
      if (/unauthorized|authentication required|no basic auth credentials|denied/i.test(words)) {
        throw new ConfigurationError(
          `registry ${registryOf(tag)} refused the push of ${tag}: ${words}; give username and password (or log in before this step)`,
        );
      }
      throw registryFailure(registryOf(tag), `pushing ${tag}`, words);
    }
    const digest = /digest: (sha256:[0-9a-f]{64})/.exec(result.stdout)?.[1];
    if (!digest) throw new ActionFailure(`docker push ${tag} finished without naming a digest: ${result.stdout.trim().split('\n').at(-1) ?? ''}`);
    return digest;
  }

  async imageLabels(ref: string): Promise<Record<string, string>> {
    const out = await this.#cli.check(`reading the labels of ${ref}`, ['image', 'inspect', '--format', '{{json .Config.Labels}}', ref]);
    return (JSON.parse(out) as Record<string, string> | null) ?? {};
  }
}

function registryOf(tag: string): string {
  const first = tag.split('/')[0]!;
  return tag.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost') ? first : 'docker.io';
}

function registryFailure(registry: string, what: string, words: string): ActionFailure {
  if (/connection refused|no such host|i\/o timeout|no route to host|dial tcp|TLS handshake timeout/i.test(words)) {
    return new ActionFailure(`registry ${registry} is unreachable from the Docker engine (${what}): ${words}`);
  }
  return new ActionFailure(`${what} failed: ${words}`);
}
