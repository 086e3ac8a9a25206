import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { ActionFailure, invalidValue } from '../../core/errors.ts';
import { formatDuration } from '../../core/inputs/durations.ts';
import { runCommand, type CommandOptions, type CommandResult } from '../process/run-command.ts';
import { EngineApi, unixSocketOf } from './engine-api.ts';

export interface DockerCliOptions {
  /** `unix://`, `tcp://` or `ssh://`; passed as `--host` on every call. Default: DOCKER_HOST, else docker's own. */
  dockerHost?: string;
  /** The environment `docker` runs with (DOCKER_HOST, DOCKER_CONFIG, ssh agent, ...); the process's by default. */
  env?: NodeJS.ProcessEnv;
  /** Limit for one docker call; a call over ssh can hang. Default 60 s; pulls get their own. */
  timeoutMs?: number;
  /** How messages name the engine, e.g. `ssh://deploy@web1` for one reached through a forwarded socket. Default: its host. */
  describeAs?: string;
  /** Runs the program; tests hand in one that records every argument array. */
  run?: typeof runCommand;
  /** Read through the Engine API when the engine is a unix socket (see `api`). Default true; false keeps every call on the CLI. */
  engineApi?: boolean;
}

export interface DockerCall {
  input?: string;
  timeoutMs?: number;
}

const HOST_SCHEMES = /^(unix|tcp|ssh):\/\/\S+$/;
const DEFAULT_TIMEOUT_MS = 60_000;

/**
 * The docker CLI with an argument array (never a shell). Every call goes to one engine; a call that
 * cannot reach it fails with one message naming the engine, whatever the command was.
 */
export class DockerCli {
  readonly host: string;
  /**
   * The same engine's API, when it is a unix socket (`unix://` given or in DOCKER_HOST): the hot reads
   * (inspect, list) go there instead of a `docker` process each. Undefined for tcp://, ssh:// or a
   * docker context, which only the CLI knows how to reach.
   */
  readonly api: EngineApi | undefined;
  readonly #flags: string[];
  readonly #env: NodeJS.ProcessEnv;
  readonly #timeoutMs: number;
  readonly #run: typeof runCommand;

  constructor(options: DockerCliOptions = {}) {
    this.#env = options.env ?? process.env;
    const explicit = options.dockerHost?.trim() || undefined;
    const host = explicit ?? (this.#env.DOCKER_HOST?.trim() || undefined);
    if (host !== undefined && !HOST_SCHEMES.test(host)) {
      throw invalidValue(explicit ? 'docker-host' : 'DOCKER_HOST', host, 'use unix:///path/to/docker.sock, tcp://host:port or ssh://user@host');
    }
    this.host = options.describeAs ?? host ?? 'the default Docker context';
    this.#flags = explicit ? ['--host', explicit] : [];
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#run = options.run ?? runCommand;
    const socketPath = options.engineApi === false ? undefined : unixSocketOf(host);
    this.api = socketPath ? new EngineApi({ socketPath, description: this.describe(), timeoutMs: this.#timeoutMs }) : undefined;
  }

  describe(): string {
    return `Docker engine at ${this.host}`;
  }

  /** Runs `docker <args>`; a non-zero exit is returned, not thrown, except when the engine is unreachable. */
  async run(args: readonly string[], call: DockerCall = {}): Promise<CommandResult> {
    const timeoutMs = call.timeoutMs ?? this.#timeoutMs;
    const options: CommandOptions = { env: this.#env, timeoutMs };
    if (call.input !== undefined) options.input = call.input;
    const result = await this.#run('docker', [...this.#flags, ...args], options).catch((error: unknown) => {
      throw new ActionFailure(`cannot run the docker CLI (${error instanceof Error ? error.message : String(error)}); install it on the runner`);
    });
    if (result.timedOut) {
      throw new ActionFailure(`${this.describe()} did not answer \`docker ${args[0]}\` within ${formatDuration(timeoutMs)}`);
    }
    if (result.exitCode !== 0 && isUnreachable(result.stderr)) {
      throw new ActionFailure(`${this.describe()} is unreachable: ${dockerWords(result.stderr)}`);
    }
    return result;
  }

  /** Starts `docker <args>` with stdout as a stream (an image from `docker save`); the caller waits for its exit. */
  stream(args: readonly string[]): ChildProcessByStdio<null, Readable, Readable> {
    return spawn('docker', [...this.#flags, ...args], { env: this.#env, stdio: ['ignore', 'pipe', 'pipe'] });
  }

  /** Runs `docker <args>` and returns its stdout; any failure names `what` and quotes docker. */
  async check(what: string, args: readonly string[], call: DockerCall = {}): Promise<string> {
    const result = await this.run(args, call);
    if (result.exitCode !== 0) throw new ActionFailure(`${what} failed on the ${this.describe()}: ${dockerWords(result.stderr)}`);
    return result.stdout;
  }
}

/**
 * The CLI's own words when it never reached the engine. An answer from the engine ("Error response
 * from daemon: ... no such host" while pulling) means the engine is there and something else failed.
 */
export function isUnreachable(stderr: string): boolean {
  if (/Error response from daemon/i.test(stderr)) return false;
  return /Cannot connect to the Docker daemon|while trying to connect to the Docker daemon|error during connect|unable to resolve docker endpoint/i.test(
    stderr,
  );
}

/** Docker's message on one line, short enough for a log line and a summary. */
export function dockerWords(stderr: string): string {
  const text = stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !/^(DEPRECATED|BuildKit|environment-variable|Unable to find image|Using default tag)/.test(line))
    .join(' ')
    .replace(/^Error response from daemon:\s*/, '');
  if (text === '') return 'docker gave no reason';
  return text.length > 400 ? `${text.slice(0, 400)}…` : text;
}

export function isNoSuchContainer(stderr: string): boolean {
  return /No such (container|object)/i.test(stderr);
}

export function isNoSuchImage(stderr: string): boolean {
  return /No such image/i.test(stderr);
}

export function isNameConflict(stderr: string): boolean {
  return /Conflict\. The container name .* is already in use/i.test(stderr);
}
