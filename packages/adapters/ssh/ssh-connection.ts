import { ActionFailure, ConfigurationError } from '../../core/errors.ts';
import { formatDuration } from '../../core/inputs/durations.ts';
import { runCommand } from '../process/run-command.ts';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { quoteRemoteCommand } from './remote-command.ts';
import type { SshHost } from './ssh-host.ts';
import { classifyFailure, lastError, offeredHostKey } from './ssh-master-log.ts';
import { controlArgs, masterArgs, sessionArgs, type SshSettings } from './ssh-options.ts';

export interface SshConnectionOptions {
  host: SshHost;
  /** Private key content (the `ssh-key` secret); without it, the runner's agent and default keys. */
  privateKey?: string;
  /** known_hosts lines for the host; required unless acceptNewHostKeys. */
  knownHosts?: string;
  /** Trust a host key seen for the first time, and log it. Off unless the user says so. */
  acceptNewHostKeys?: boolean;
  /** Limit to connect and authenticate. Default 15 s. */
  connectTimeoutMs?: number;
  /** Limit for one remote command unless the call gives its own. Default 60 s. */
  commandTimeoutMs?: number;
  /** Where a trusted-on-first-use host key is reported. */
  log?: (message: string) => void;
  /**
   * Sockets on the host to forward from the start (the engine's, the router's): the master sets them up
   * as it connects, so forwardUnixSocket() of one of them costs no ssh process and no round trip.
   */
  unixSockets?: readonly string[];
}

export interface RemoteCall {
  /** The remote command's stdin. */
  input?: string;
  /** A stream piped to the remote command's stdin instead (an image for `docker load`). */
  stdin?: Readable;
  timeoutMs?: number;
}

export interface RemoteResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 15_000;
const DEFAULT_COMMAND_TIMEOUT_MS = 60_000;
const CONTROL_TIMEOUT_MS = 10_000;

/**
 * Opens the one SSH connection of a run to a host: an OpenSSH control master that every command,
 * Docker call and router call then rides (sessions and forwards over the same TCP connection).
 * The key and known hosts live in a fresh 0700 directory that close() removes.
 */
export async function openSshConnection(options: SshConnectionOptions): Promise<SshConnection> {
  const { host } = options;
  if (options.knownHosts === undefined && !options.acceptNewHostKeys) {
    throw new ConfigurationError(
      `known-hosts is required to connect to ${host.url}: give the host's line (from \`ssh-keyscan -p ${host.port} ${host.hostname}\` run where you trust the network), or set accept-new-host-keys: true to trust its key on first use`,
    );
  }
  const dir = await mkdtemp(join(tmpdir(), 'sidhe-ssh-'));
  try {
    const knownHostsFile = join(dir, 'known_hosts');
    const knownBefore = normaliseLines(options.knownHosts ?? '');
    await writeFile(knownHostsFile, knownBefore, { mode: 0o600 });
    const settings: SshSettings = {
      host,
      controlPath: join(dir, 'c'),
      knownHostsFile,
      hostKeyChecking: options.acceptNewHostKeys ? 'accept-new' : 'yes',
      connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    };
    if (options.privateKey !== undefined) {
      settings.identityFile = join(dir, 'key');
      // ssh rejects a key whose last line has no line break ("invalid format"): secrets often lose it.
      await writeFile(settings.identityFile, normaliseLines(options.privateKey), { mode: 0o600, flag: 'wx' });
    }
    const connection = new SshConnection(settings, dir, options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS, options.unixSockets);
    await connection.start(knownBefore, options.log);
    return connection;
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

export class SshConnection {
  readonly host: SshHost;
  readonly #settings: SshSettings;
  readonly #dir: string;
  readonly #logFile: string;
  readonly #commandTimeoutMs: number;
  #forwards = 0;
  /** Local path of each host socket the master forwards from the start. */
  readonly #startForwards = new Map<string, string>();
  #closing: Promise<void> | undefined;

  constructor(settings: SshSettings, dir: string, commandTimeoutMs: number, startSockets: readonly string[] = []) {
    this.host = settings.host;
    this.#dir = dir;
    this.#logFile = join(dir, 'master.log');
    this.#commandTimeoutMs = commandTimeoutMs;
    for (const remotePath of startSockets) this.#startForwards.set(remotePath, this.#localSocket(remotePath));
    this.#settings = { ...settings, startForwards: [...this.#startForwards].map(([remote, local]) => `${local}:${remote}`) };
  }

  /** Starts the master and waits until it is authenticated; refuses a host key known-hosts does not hold. */
  async start(knownBefore: string, log?: (message: string) => void): Promise<void> {
    const result = await runCommand('ssh', masterArgs(this.#settings, this.#logFile), {
      timeoutMs: this.#settings.connectTimeoutMs + CONTROL_TIMEOUT_MS,
    });
    const masterLog = await readFile(this.#logFile, 'utf8').catch(() => '');
    if (result.timedOut)
      throw new ActionFailure(`${this.host.url} did not complete the SSH handshake within ${formatDuration(this.#settings.connectTimeoutMs)}`);
    if (result.exitCode !== 0) throw this.#startFailure(`${masterLog}\n${result.stderr}`);
    if (this.#settings.hostKeyChecking === 'accept-new') await this.#reportNewKey(knownBefore, log);
  }

  /** Runs `argv` on the host (quoted for its shell by quoteRemoteCommand); a non-zero exit is returned. */
  async exec(argv: readonly string[], call: RemoteCall = {}): Promise<RemoteResult> {
    this.#ensureOpen();
    const timeoutMs = call.timeoutMs ?? this.#commandTimeoutMs;
    const result = await runCommand('ssh', sessionArgs(this.#settings, quoteRemoteCommand(argv)), {
      timeoutMs,
      ...(call.input === undefined ? {} : { input: call.input }),
      ...(call.stdin === undefined ? {} : { stdin: call.stdin }),
    });
    if (result.timedOut) {
      throw new ActionFailure(`\`${argv[0]}\` on ${this.host.url} did not finish within ${formatDuration(timeoutMs)}`);
    }
    // 255 is ssh's own failure; a remote command may exit 255 too, so ask the master whether it is gone.
    if (result.exitCode === 255 && !(await this.#masterAlive())) throw await this.#lost();
    return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr };
  }

  /**
   * A local unix socket (in the connection's 0700 directory) forwarded over the master to a socket
   * on the host, e.g. `/var/run/docker.sock` for `unix://<path>` as DOCKER_HOST.
   */
  async forwardUnixSocket(remotePath: string): Promise<string> {
    const started = this.#startForwards.get(remotePath);
    if (started !== undefined) return started;
    const local = this.#localSocket(remotePath);
    await this.#forward(`${local}:${remotePath}`, remotePath);
    return local;
  }

  /** A fresh path in the connection's 0700 directory for a forward of `remotePath`, once that is checked. */
  #localSocket(remotePath: string): string {
    if (!/^\/[^\s:]+$/.test(remotePath)) throw new Error(`a forwarded socket path must be absolute, without spaces or colons: ${JSON.stringify(remotePath)}`);
    return join(this.#dir, `f${++this.#forwards}.sock`);
  }

  /** A port on 127.0.0.1 forwarded over the master to `remoteHost:remotePort` as the host sees it (its loopback by default). */
  async forwardTcp(remotePort: number, remoteHost = '127.0.0.1'): Promise<number> {
    if (!Number.isInteger(remotePort) || remotePort < 1 || remotePort > 65535) throw new Error(`not a port: ${remotePort}`);
    if (!/^[a-z0-9.-]+$/i.test(remoteHost)) throw new Error(`a forwarded host must be a hostname or an IPv4 address: ${JSON.stringify(remoteHost)}`);
    // A free port can be taken between choosing and binding it: try again with another.
    for (let attempt = 1; ; attempt++) {
      const port = await freeLocalPort();
      try {
        await this.#forward(`127.0.0.1:${port}:${remoteHost}:${remotePort}`, `${remoteHost}:${remotePort}`);
        return port;
      } catch (error) {
        if (attempt === 3) throw error;
      }
    }
  }

  /** Ends the master (and with it every session and forward) and removes the key and the directory. Safe twice. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      await runCommand('ssh', controlArgs(this.#settings, 'exit'), { timeoutMs: CONTROL_TIMEOUT_MS }).catch(() => undefined);
      await rm(this.#dir, { recursive: true, force: true });
    })();
    return this.#closing;
  }

  async #forward(spec: string, what: string): Promise<void> {
    this.#ensureOpen();
    const result = await runCommand('ssh', controlArgs(this.#settings, 'forward', spec), { timeoutMs: CONTROL_TIMEOUT_MS });
    if (result.exitCode === 0 && !result.timedOut) return;
    if (!(await this.#masterAlive())) throw await this.#lost();
    throw new ActionFailure(`cannot forward ${what} on ${this.host.url}: ${lastError(result.stderr, 'ssh gave no reason')}`);
  }

  async #masterAlive(): Promise<boolean> {
    const check = await runCommand('ssh', controlArgs(this.#settings, 'check'), { timeoutMs: CONTROL_TIMEOUT_MS });
    return check.exitCode === 0 && !check.timedOut;
  }

  async #lost(): Promise<ActionFailure> {
    const masterLog = await readFile(this.#logFile, 'utf8').catch(() => '');
    const reason = lastError(masterLog, 'the connection ended');
    return new ActionFailure(`the SSH connection to ${this.host.url} is lost (${reason}); check that the host is up and its sshd is running`);
  }

  #startFailure(log: string): Error {
    const { url, hostname, port } = this.host;
    const reason = lastError(log, 'ssh gave no reason');
    switch (classifyFailure(log)) {
      case 'host-key': {
        const offered = offeredHostKey(log) ?? 'a key';
        return new ActionFailure(
          `${url} offered host key ${offered}, which known-hosts does not trust; the deploy did not connect. If the host's key changed on purpose, put its new line in known-hosts (\`ssh-keyscan -p ${port} ${hostname}\` from a network you trust), otherwise find out who answers at that address`,
        );
      }
      case 'auth':
        return new ActionFailure(`${url} refused the key given in ssh-key (${reason}); add its public key to the user's authorized_keys on the host`);
      case 'unreachable':
        return new ActionFailure(`cannot connect to ${url}: ${reason}`);
      default:
        return new ActionFailure(`the SSH connection to ${url} failed: ${reason}`);
    }
  }

  async #reportNewKey(knownBefore: string, log?: (message: string) => void): Promise<void> {
    const after = await readFile(this.#settings.knownHostsFile, 'utf8');
    const added = after.split('\n').filter((line) => line.trim() !== '' && !knownBefore.split('\n').includes(line));
    if (added.length === 0) return;
    const fingerprints = await runCommand('ssh-keygen', ['-l', '-f', '-'], { input: `${added.join('\n')}\n`, timeoutMs: CONTROL_TIMEOUT_MS });
    const described = fingerprints.exitCode === 0 ? fingerprints.stdout.trim().split('\n').join('; ') : added.join('; ');
    log?.(`trusted the host key of ${this.host.url} on first use (accept-new-host-keys): ${described}`);
  }

  #ensureOpen(): void {
    if (this.#closing) throw new Error(`the SSH connection to ${this.host.url} is closed`);
  }
}

function normaliseLines(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').trimEnd();
  return lines === '' ? '' : `${lines}\n`;
}

function freeLocalPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
