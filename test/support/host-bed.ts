import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DockerCli } from '../../packages/adapters/docker/docker-cli.ts';
import { runCommand } from '../../packages/adapters/process/run-command.ts';
import { transferImage } from '../../packages/adapters/ssh/image-transfer.ts';
import { openSshConnection, type SshConnection } from '../../packages/adapters/ssh/ssh-connection.ts';
import { parseSshHost } from '../../packages/adapters/ssh/ssh-host.ts';
import { DOCKER_HOST } from './services.ts';
import { dockerLines, FRONT_PORT, haproxyConfig, nginxFiles, sshdConfig, startScript } from './host-bed-config.ts';
import { bedNamespaces, createNamespace, hostAddress, killAndWait, namespaceName, namespacePids, processName, removeNamespace } from './host-bed-namespaces.ts';

export {
  HAPROXY_ADMIN_SOCKET,
  HAPROXY_BACKEND,
  HAPROXY_STATE_FILE,
  NGINX_ACCESS_LOG,
  NGINX_CONFIG,
  NGINX_ENDPOINT,
  NGINX_UPSTREAM_FILE,
} from './host-bed-config.ts';

/**
 * "Remote servers" for the SSH tests: N network namespaces, each with its own sshd, dockerd (vfs,
 * empty, no bridge) and optionally HAProxy, all at their default paths inside the host's private
 * mount namespace. Run as root; everything is removed by close(), and a bed left by a killed run is
 * removed by the next start.
 */

export interface HostBedOptions {
  hosts: number;
  /**
   * A router per host with blue/green slots (weight 0) and a front on `<address>:80`: HAProxy (admin
   * socket HAPROXY_ADMIN_SOCKET) or nginx (NGINX_ENDPOINT). Default `none`.
   */
  router?: 'haproxy' | 'nginx' | 'none';
  /** A dockerd per host. Default true. */
  docker?: boolean;
}

export interface BedHost {
  /** `sidhe-h1` ... */
  name: string;
  /** 10.213.<i>.2, reachable from the runner only through the bed's veth pair. */
  address: string;
  /** `ssh://root@10.213.<i>.2:22` */
  url: string;
  /** `http://10.213.<i>.2:80`, the host's router front when the bed has one. */
  frontUrl: string;
  /** The host's files on the runner: configs and the logs of its daemons. */
  dir: string;
}

export interface HostBed {
  hosts: BedHost[];
  /** known_hosts lines for every host. */
  knownHosts: string;
  /** The private key root logs in with on every host. */
  privateKey: string;
  /** An SSH connection to host `index` with the bed's key and known hosts; the caller closes it. */
  connect(index: number): Promise<SshConnection>;
  /** Streams an image of the main test engine into host `index`'s engine (each host's starts empty). */
  loadImage(index: number, image: string): Promise<void>;
  /** TCP connections each host's sshd has accepted so far. */
  connectionsTo(index: number): Promise<number>;
  /** Kills host `index`'s sshd and every session it serves, as a host going down would. */
  stopSshd(index: number): Promise<void>;
  /** Kills host `index`'s dockerd and containerd (containers keep running, as after a crash). */
  stopDocker(index: number): Promise<void>;
  startDocker(index: number): Promise<void>;
  close(): Promise<void>;
}

const OWNER_FILE = join(tmpdir(), 'sidhe-host-bed.owner');
const READY_TIMEOUT_MS = 60_000;

export async function startHostBed(options: HostBedOptions): Promise<HostBed> {
  await removeStaleBed();
  const dir = await mkdtemp(join(tmpdir(), 'sidhe-bed-'));
  await writeFile(OWNER_FILE, JSON.stringify({ pid: process.pid, dir }));
  const indexes = Array.from({ length: options.hosts }, (_, i) => i + 1);
  const holders: number[] = [];
  let closing: Promise<void> | undefined;
  // Once only, and never a newer bed's namespaces (a bed started later removed this one as stale).
  const close = () =>
    (closing ??= (async () => {
      if (!(await ownsTheBed(dir))) return;
      await Promise.all(indexes.map((index) => removeNamespace(namespaceName(index))));
      await rm(dir, { recursive: true, force: true });
      await unlink(OWNER_FILE).catch(() => undefined);
    })());
  try {
    await keygen(join(dir, 'client_key'));
    await writeFile(join(dir, 'authorized_keys'), await readFile(join(dir, 'client_key.pub')));
    // The mount point the hosts bind their own directory on; empty on the runner.
    await mkdir('/var/lib/docker', { recursive: true });
    await mkdir('/etc/docker', { recursive: true });
    const started = await Promise.all(indexes.map((index) => startHost(dir, index, options)));
    const hostDir = (index: number) => started[index]!.host.dir;
    holders.push(...started.map((s) => s.holder));
    const knownHosts = started.map((s) => s.knownHost).join('');
    const privateKey = await readFile(join(dir, 'client_key'), 'utf8');
    const connect = (index: number) => openSshConnection({ host: parseSshHost('hosts', started[index]!.host.url), privateKey, knownHosts });
    return {
      hosts: started.map((s) => s.host),
      knownHosts,
      privateKey,
      connect,
      async loadImage(index, image) {
        const connection = await connect(index);
        try {
          await transferImage(new DockerCli({ dockerHost: DOCKER_HOST }), connection, image);
        } finally {
          await connection.close();
        }
      },
      async connectionsTo(index) {
        const log = await readFile(join(hostDir(index), 'sshd.log'), 'utf8');
        return log.match(/^.*Connection from \S+ port \d+ on/gm)?.length ?? 0;
      },
      async stopSshd(index) {
        await killNamed(namespaceName(index + 1), ['sshd']);
      },
      async stopDocker(index) {
        await killNamed(namespaceName(index + 1), ['dockerd', 'containerd']);
      },
      async startDocker(index) {
        // The killed daemons' pid files name pids that may still be unreaped zombies: dockerd would wait on them.
        const line = ['rm -f /run/docker.pid /run/docker/containerd/containerd.pid', ...dockerLines(hostDir(index))].join('\n');
        const result = await runCommand('nsenter', ['--target', String(holders[index]), '--mount', '--net', 'sh', '-c', line], { timeoutMs: 10_000 });
        if (result.exitCode !== 0) throw new Error(`dockerd did not start on ${started[index]!.host.name}: ${result.stderr}`);
        await waitForDocker(holders[index]!, hostDir(index));
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

interface StartedHost {
  host: BedHost;
  knownHost: string;
  /** The start script's process: it holds the host's mount namespace. */
  holder: number;
}

async function startHost(bedDir: string, index: number, options: HostBedOptions): Promise<StartedHost> {
  const name = namespaceName(index);
  const address = hostAddress(index);
  const dir = join(bedDir, name);
  const docker = options.docker ?? true;
  const router = options.router ?? 'none';
  await mkdir(join(dir, 'docker'), { recursive: true });
  await mkdir(join(dir, 'etc-docker'), { recursive: true });
  await mkdir(join(dir, 'root'), { recursive: true, mode: 0o700 });
  await keygen(join(dir, 'host_key'));
  await writeFile(join(dir, 'sshd_config'), sshdConfig(address, dir));
  await writeFile(join(dir, 'daemon.json'), '{}\n');
  if (router === 'haproxy') await writeFile(join(dir, 'haproxy.cfg'), haproxyConfig(address));
  if (router === 'nginx') {
    await mkdir(join(dir, 'etc-nginx', 'upstreams'), { recursive: true });
    for (const [file, text] of Object.entries(nginxFiles(address, dir))) await writeFile(join(dir, 'etc-nginx', file), text);
  }
  await writeFile(join(dir, 'start.sh'), startScript({ dir, docker, router }));
  await createNamespace(index);
  const child = spawn('nsenter', [`--net=/run/netns/${name}`, 'unshare', '--mount', '--propagation', 'private', 'sh', join(dir, 'start.sh')], {
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  child.unref();
  const holder = child.pid!;
  await waitFor(
    `sshd on ${name}`,
    dir,
    'sshd.log',
    async () => (await readFile(join(dir, 'sshd.log'), 'utf8').catch(() => '')).includes('Server listening'),
    child,
  );
  if (docker) await waitForDocker(holder, dir, child);
  if (router !== 'none')
    await waitFor(
      `${router} on ${name}`,
      dir,
      router === 'nginx' ? 'nginx-error.log' : 'haproxy.log',
      () => answers(`http://${address}:${FRONT_PORT}/`),
      child,
    );
  const hostKey = (await readFile(join(dir, 'host_key.pub'), 'utf8')).trim();
  return {
    host: { name, address, url: `ssh://root@${address}:22`, frontUrl: `http://${address}:${FRONT_PORT}`, dir },
    knownHost: `${address} ${hostKey}\n`,
    holder,
  };
}

/** The host's engine, reached through its mount namespace (/proc/<pid>/root), not over ssh. */
async function waitForDocker(holder: number, dir: string, child?: ReturnType<typeof spawn>): Promise<void> {
  const socket = `unix:///proc/${holder}/root/run/docker.sock`;
  await waitFor(
    `dockerd in ${dir}`,
    dir,
    'dockerd.log',
    async () => {
      const result = await runCommand('docker', ['--host', socket, 'version', '--format', '{{.Server.Version}}'], { timeoutMs: 5_000 });
      return result.exitCode === 0;
    },
    child,
  );
}

async function waitFor(what: string, dir: string, log: string, ready: () => Promise<boolean>, child?: ReturnType<typeof spawn>): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!(await ready())) {
    if (child?.exitCode != null || Date.now() > deadline) {
      const text = await readFile(join(dir, log), 'utf8').catch(() => '(no log)');
      throw new Error(`${what} did not start: ${text.split('\n').slice(-15).join('\n')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function answers(url: string): Promise<boolean> {
  return fetch(url, { signal: AbortSignal.timeout(2_000) }).then(
    () => true,
    () => false,
  );
}

async function keygen(file: string): Promise<void> {
  const result = await runCommand('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'sidhe-bed', '-f', file], { timeoutMs: 10_000 });
  if (result.exitCode !== 0) throw new Error(`ssh-keygen: ${result.stderr}`);
}

async function killNamed(namespace: string, names: string[]): Promise<void> {
  const pids: number[] = [];
  for (const pid of await namespacePids(namespace)) if (names.includes(await processName(pid))) pids.push(pid);
  await killAndWait(pids);
}

/** Removes what a killed run left: refuses while the bed's owner still runs (one bed at a time). */
/** One bed at a time on the machine: waits (up to 15 min) for another live process's bed to close. */
async function removeStaleBed(): Promise<void> {
  const deadline = Date.now() + 15 * 60_000;
  while (existsSync(OWNER_FILE)) {
    const owner = JSON.parse(await readFile(OWNER_FILE, 'utf8').catch(() => '{"pid":0,"dir":""}')) as { pid: number; dir: string };
    if (owner.pid === process.pid || !isAlive(owner.pid)) {
      if (owner.dir) await rm(owner.dir, { recursive: true, force: true });
      break;
    }
    if (Date.now() > deadline) throw new Error(`a host bed of process ${owner.pid} is still running (${owner.dir}); one bed at a time`);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
  for (const name of await bedNamespaces()) await removeNamespace(name);
}

async function ownsTheBed(dir: string): Promise<boolean> {
  const owner = await readFile(OWNER_FILE, 'utf8').catch(() => undefined);
  return owner !== undefined && (JSON.parse(owner) as { dir: string }).dir === dir;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
