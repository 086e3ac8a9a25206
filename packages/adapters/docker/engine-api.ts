import { Agent, request, type IncomingMessage } from 'node:http';
import { ActionFailure } from '../../core/errors.ts';
import { formatDuration } from '../../core/inputs/durations.ts';

/**
 * The Docker Engine API over the engine's unix socket, for the reads that run on hot paths (each
 * round of a health proof, every inspect and list of a deploy). A `docker` process per read costs
 * 70–120 ms and grows with the number of hosts; a GET from this process costs about 2 ms. It is a
 * handful of calls, so node:http does it: no client library. The small writes every deploy and
 * rollback waits for come here too (the environment lock's container created and removed; a release's
 * container stopped, removed, its restart policy set). `docker run` and `docker pull` stay on the CLI,
 * which reads env files, registry credentials and platform defaults the way users expect.
 */
export interface EngineApiOptions {
  /** The socket's path on this machine. */
  socketPath: string;
  /** How messages name the engine, as DockerCli.describe() does: `Docker engine at ...`. */
  description: string;
  /** Limit for one read. Default 60 s, as the CLI's. */
  timeoutMs?: number;
}

/** One element of GET /containers/json: what `docker ps` shows. */
export interface ListedContainer {
  Id: string;
  State: string;
  Labels: Record<string, string> | null;
}

/**
 * Docker deprecates paths without a version, so the version is asked once (GET /_ping) and every path
 * carries it, as the CLI negotiates: the engine's own, capped at the newest this code was read against
 * (an engine newer than that still answers in it). The fields read here are the same in all of them.
 */
const NEWEST_KNOWN_VERSION = [1, 52] as const;
const DEFAULT_TIMEOUT_MS = 60_000;
type Method = 'GET' | 'POST' | 'DELETE';
type Answer = { status: number; headers: IncomingMessage['headers']; body: string };
const UNREACHABLE = new Set(['ENOENT', 'ECONNREFUSED', 'EACCES', 'ECONNRESET', 'EPIPE', 'ENOTSOCK']);

/** The socket's path when `host` is `unix://<path>`; any other engine (tcp, ssh, a context) keeps the CLI. */
export function unixSocketOf(host: string | undefined): string | undefined {
  const match = /^unix:\/\/(\/\S+)$/.exec(host?.trim() ?? '');
  return match?.[1];
}

/** The API of the engine DOCKER_HOST names in `env`, when that is a unix socket. */
export function engineApiFromEnv(env: NodeJS.ProcessEnv, options: { timeoutMs?: number } = {}): EngineApi | undefined {
  const socketPath = unixSocketOf(env.DOCKER_HOST);
  return socketPath ? new EngineApi({ socketPath, description: `Docker engine at ${env.DOCKER_HOST!.trim()}`, ...options }) : undefined;
}

export class EngineApi {
  readonly #socketPath: string;
  readonly #description: string;
  readonly #timeoutMs: number;
  // Kept-alive connections: through a forwarded socket each new one is a new SSH channel. Node unrefs idle ones.
  readonly #agent = new Agent({ keepAlive: true, maxSockets: 16 });
  #version: Promise<string> | undefined;

  constructor(options: EngineApiOptions) {
    this.#socketPath = options.socketPath;
    this.#description = options.description;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  describe(): string {
    return this.#description;
  }

  /** GET /containers/{ref}/json: the element `docker container inspect` prints; undefined when there is no such container. */
  inspectContainer(ref: string, call: { timeoutMs?: number } = {}): Promise<unknown> {
    return this.#read(`/containers/${encodeURIComponent(ref)}/json`, call.timeoutMs);
  }

  /** Containers by name or id, in the order asked; those that do not exist (or vanished meanwhile) are left out. */
  async inspectContainers(refs: readonly string[]): Promise<unknown[]> {
    const found = await Promise.all(refs.map((ref) => this.inspectContainer(ref)));
    return found.filter((container) => container !== undefined);
  }

  /** GET /containers/json?all=1 with `label` filters (`key` or `key=value`), as `docker ps --all --filter label=...`. */
  async listContainers(labels: readonly string[]): Promise<ListedContainer[]> {
    const filters = encodeURIComponent(JSON.stringify({ label: labels }));
    return ((await this.#read(`/containers/json?all=1&filters=${filters}`)) as ListedContainer[] | undefined) ?? [];
  }

  /** GET /images/{ref}/json: what `docker image inspect` prints for it; undefined when the engine has no such image. */
  inspectImage(ref: string): Promise<unknown> {
    // A reference's slashes are part of the route (/images/{name:.*}/json); the rest is escaped.
    return this.#read(`/images/${encodeURIComponent(ref).replaceAll('%2F', '/')}/json`);
  }

  /**
   * POST /containers/create?name=...: the new container's id, or undefined when the name is taken
   * (HTTP 409, the engine's atomic test-and-set). A missing image is an ActionFailure whose message
   * says `No such image`, as the CLI's does.
   */
  async createContainer(name: string, config: { Image: string; Cmd: string[]; Labels: Record<string, string> }): Promise<string | undefined> {
    const path = `/containers/create?name=${encodeURIComponent(name)}`;
    const answer = await this.#call('POST', path, JSON.stringify(config));
    if (answer.status === 409) return undefined;
    if (answer.status !== 201) throw this.#failure('POST', path, answer);
    return (JSON.parse(answer.body) as { Id: string }).Id;
  }

  /** DELETE /containers/{ref}?force=1 for each, side by side: `docker rm --force`. One already gone is no error. */
  async removeContainers(refs: readonly string[]): Promise<void> {
    await Promise.all(
      refs.map(async (ref) => {
        const path = `/containers/${encodeURIComponent(ref)}?force=1`;
        const answer = await this.#call('DELETE', path);
        if (answer.status !== 204 && answer.status !== 404) throw this.#failure('DELETE', path, answer);
      }),
    );
  }

  /** POST /containers/{ref}/stop?t=: `docker stop --time`. A container already stopped, or gone, is no error. */
  async stopContainer(ref: string, graceSeconds: number): Promise<void> {
    const path = `/containers/${encodeURIComponent(ref)}/stop?t=${graceSeconds}`;
    // The engine answers once the container has stopped: after the grace time at most, then its kill.
    const answer = await this.#call('POST', path, undefined, graceSeconds * 1000 + this.#timeoutMs);
    if (answer.status !== 204 && answer.status !== 304 && answer.status !== 404) throw this.#failure('POST', path, answer);
  }

  /** POST /containers/{ref}/update with a restart policy: `docker update --restart`. */
  async setRestartPolicy(ref: string, policy: 'no' | 'always' | 'unless-stopped'): Promise<void> {
    const path = `/containers/${encodeURIComponent(ref)}/update`;
    const answer = await this.#call('POST', path, JSON.stringify({ RestartPolicy: { Name: policy } }));
    if (answer.status !== 200) throw this.#failure('POST', path, answer);
  }

  /** Ends the kept-alive connections. */
  close(): void {
    this.#agent.destroy();
  }

  async #read(path: string, timeoutMs = this.#timeoutMs): Promise<unknown> {
    const answer = await this.#call('GET', path, undefined, timeoutMs);
    if (answer.status === 404) return undefined;
    if (answer.status !== 200) throw this.#failure('GET', path, answer);
    return JSON.parse(answer.body) as unknown;
  }

  /** A call on the negotiated version's path. The first call's /_ping and the call share one limit: a probe's budget is not doubled. */
  async #call(method: Method, path: string, body?: string, timeoutMs = this.#timeoutMs): Promise<Answer> {
    const started = Date.now();
    const version = await this.#negotiate(timeoutMs);
    return this.#send(method, `${version === '' ? '' : `/v${version}`}${path}`, body, Math.max(1, timeoutMs - (Date.now() - started)));
  }

  #failure(method: Method, path: string, answer: Answer): ActionFailure {
    return new ActionFailure(`${method} ${path} failed on the ${this.#description}: ${engineMessage(answer.body)} (HTTP ${answer.status})`);
  }

  #negotiate(timeoutMs: number): Promise<string> {
    this.#version ??= this.#send('GET', '/_ping', undefined, timeoutMs).then(({ status, headers, body }) => {
      if (status !== 200) throw new ActionFailure(`GET /_ping failed on the ${this.#description}: ${engineMessage(body)} (HTTP ${status})`);
      return negotiateVersion(headers['api-version']);
    });
    // A failed ping is asked again next time: the engine may come back.
    this.#version.catch(() => (this.#version = undefined));
    return this.#version;
  }

  #send(method: Method, path: string, body: string | undefined, timeoutMs: number, retry = true): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const headers = body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
      const req = request({ socketPath: this.#socketPath, method, path, headers, agent: this.#agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.setTimeout(timeoutMs, () => {
        req.destroy(new ActionFailure(`${this.#description} did not answer ${method} ${path} within ${formatDuration(timeoutMs)}`));
      });
      req.on('error', (error: NodeJS.ErrnoException) => {
        if (error instanceof ActionFailure) return reject(error);
        // An idle kept-alive connection the other end closed: the call never reached the engine; send it
        // once more, unless it is a create, which must not risk running twice (it would find its own name taken).
        if (retry && method !== 'POST' && req.reusedSocket && error.code === 'ECONNRESET') return resolve(this.#send(method, path, body, timeoutMs, false));
        reject(
          UNREACHABLE.has(error.code ?? '')
            ? new ActionFailure(`${this.#description} is unreachable: ${error.message}`)
            : new ActionFailure(`${method} ${path} failed on the ${this.#description}: ${error.message}`),
        );
      });
      req.end(body);
    });
  }
}

/**
 * The version to put in paths, from /_ping's Api-Version: the engine's, capped at the newest known;
 * '' (the engine's own, no prefix) for an engine too old to say.
 */
export function negotiateVersion(header: string | string[] | undefined): string {
  const text = Array.isArray(header) ? header[0] : header;
  const match = /^(\d+)\.(\d+)$/.exec(text?.trim() ?? '');
  if (!match) return '';
  const [major, minor] = [Number(match[1]), Number(match[2])];
  const newer = major > NEWEST_KNOWN_VERSION[0] || (major === NEWEST_KNOWN_VERSION[0] && minor > NEWEST_KNOWN_VERSION[1]);
  return newer ? NEWEST_KNOWN_VERSION.join('.') : `${major}.${minor}`;
}

/** The engine's `{"message": ...}`, else its first words. */
function engineMessage(body: string): string {
  try {
    const message = (JSON.parse(body) as { message?: unknown }).message;
    if (typeof message === 'string' && message !== '') return message;
  } catch {
    // not JSON: quoted below as it came
  }
  return body.trim().slice(0, 400) || 'the engine gave no reason';
}
