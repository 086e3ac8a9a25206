import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { freePort } from './local-servers.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Starts a private HAProxy for tests and benchmarks: its own config, admin socket, state file and
 * log in a temporary directory, a front end on 127.0.0.1. Never touches the system's HAProxy.
 */

export interface RoutedServer {
  name: string;
  /** Defaults to a placeholder, `localhost:1`, as users declare slots; the router sets the address. */
  address?: string;
  weight?: number;
}

export interface HaproxyProcessOptions {
  servers: RoutedServer[];
  /** Backend name, the routed service. Default `app`. */
  backend?: string;
  /** Admin socket as a unix socket (default) or on a 127.0.0.1 TCP port. */
  admin?: 'unix' | 'tcp';
  /** Written into haproxy.cfg's backend verbatim, e.g. `balance static-rr`. Default `balance roundrobin`. */
  balance?: string;
  /** More routed services behind the same admin socket (e.g. staging beside production), with the same slots; the front serves `backend` only. */
  extraBackends?: string[];
}

export interface HaproxyProcess {
  /** The `router-endpoint` for this HAProxy, with its state file. */
  endpoint: string;
  backend: string;
  frontPort: number;
  /** `http://127.0.0.1:<front port>` */
  url: string;
  dir: string;
  stateFile: string;
  /** Stops and starts HAProxy on the same config and state file, as a host reboot would. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

const HAPROXY = '/usr/sbin/haproxy';

/** global, defaults and the front of a test HAProxy: what the local one and the bed hosts' ones share. */
export function haproxyHead(adminBind: string, stateFile: string, front: string, backend: string): string[] {
  return [
    'global',
    `  stats socket ${adminBind} mode 600 level admin`,
    `  server-state-file ${stateFile}`,
    'defaults',
    '  mode http',
    '  timeout connect 2s',
    '  timeout client 30s',
    '  timeout server 30s',
    '  timeout http-keep-alive 10s',
    // A check's own limit (else `inter`, 1 s): a busy machine's slow answer is not a dead server.
    '  timeout check 5s',
    '  load-server-state-from-file global',
    'frontend front',
    `  bind ${front}`,
    `  default_backend ${backend}`,
  ];
}

/** A backend with quick checks, so a slot given a new address is seen healthy in ~100 ms, not seconds. */
export const QUICK_CHECKS = '  default-server check inter 1s downinter 100ms rise 2 fall 2 init-addr last,libc,none';

export async function startHaproxy(options: HaproxyProcessOptions): Promise<HaproxyProcess> {
  const dir = await mkdtemp(join(tmpdir(), 'sidhe-haproxy-'));
  const backend = options.backend ?? 'app';
  const frontPort = await freePort();
  const socketPath = join(dir, 'admin.sock');
  const adminPort = options.admin === 'tcp' ? await freePort() : undefined;
  const stateFile = join(dir, 'server-state');
  const configFile = join(dir, 'haproxy.cfg');
  const adminBind = adminPort === undefined ? socketPath : `ipv4@127.0.0.1:${adminPort}`;
  const servers = options.servers.map(({ name, address = 'localhost:1', weight = 0 }) => `  server ${name} ${address} weight ${weight}`);
  const section = (name: string): string[] => [`backend ${name}`, `  ${options.balance ?? 'balance roundrobin'}`, QUICK_CHECKS, ...servers];
  await writeFile(
    configFile,
    [...haproxyHead(adminBind, stateFile, `127.0.0.1:${frontPort}`, backend), ...[backend, ...(options.extraBackends ?? [])].flatMap(section), ''].join('\n'),
  );
  const admin = adminPort === undefined ? `unix://${socketPath}` : `tcp://127.0.0.1:${adminPort}`;
  let child = await launch(configFile, dir, frontPort);
  return {
    endpoint: `${admin}?state-file=${stateFile}`,
    backend,
    frontPort,
    url: `http://127.0.0.1:${frontPort}`,
    dir,
    stateFile,
    async restart() {
      await halt(child);
      child = await launch(configFile, dir, frontPort);
    },
    async stop() {
      await halt(child);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function launch(configFile: string, dir: string, frontPort: number): Promise<ChildProcess> {
  const log = join(dir, 'haproxy.log');
  const fd = openSync(log, 'a');
  const child = spawn(HAPROXY, ['-db', '-f', configFile], { stdio: ['ignore', fd, fd] });
  closeSync(fd);
  try {
    await waitForPort(frontPort, child);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`HAProxy did not start: ${(error as Error).message}\n${await readFile(log, 'utf8')}`, { cause: error });
  }
  return child;
}

function halt(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Resolves once something accepts connections on the port; rejects if the process exits first. */
export async function waitForPort(port: number, child: ChildProcess, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with code ${child.exitCode}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`nothing listened on 127.0.0.1:${port} within ${timeoutMs} ms`);
}
