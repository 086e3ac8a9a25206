import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DockerCli } from '../packages/adapters/docker/docker-cli.ts';
import { ImageBuilder } from '../packages/adapters/docker/image-build.ts';
import { openRemoteHost, type RemoteHost, type RemoteHostSettings } from '../packages/adapters/ssh/remote-host.ts';
import { parseSshHost, type SshHost } from '../packages/adapters/ssh/ssh-host.ts';
import { invalidValue } from '../packages/core/errors.ts';
import { checkRegistryHost } from '../packages/core/images/index.ts';
import { parseBootLimit, type BootLimit } from '../packages/core/fleet/index.ts';
import { parseBoolean, parseList } from '../packages/core/inputs/index.ts';
import type { ActionIO } from '../packages/runtime/action-io.ts';
import type { InputReader } from '../packages/runtime/input-reader.ts';
import type { fleetDeployInputs, remoteHostInputs } from './shared-inputs.ts';

/** The inputs readRemoteHosts reads: every action that reaches hosts declares them (and docker-host). */
export type RemoteHostInputName = keyof typeof remoteHostInputs | 'docker-host';

const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';

/** Where and how to reach the remote hosts of a deploy, checked whole before any connection opens. */
export interface RemoteHostsPlan {
  hosts: SshHost[];
  privateKey?: string;
  knownHosts?: string;
  acceptNewHostKeys: boolean;
  bootLimit?: BootLimit;
  /** The engine's socket on each host. */
  dockerSocket: string;
  /** Registry login for the hosts' pulls, for this run only. */
  registryLogin?: { registry: string; username: string; password: string };
}

/**
 * The `hosts` input, else the environment's hosts in the configuration; undefined when neither names
 * any (the runner's own engine). `docker-host` then names the engine's socket on each host.
 */
export function readRemoteHosts(inputs: InputReader<RemoteHostInputName>, io: ActionIO, configHosts: readonly string[]): RemoteHostsPlan | undefined {
  const given = inputs.given('hosts');
  const raw = given ? parseList(inputs.get('hosts')) : configHosts;
  if (raw.length === 0) return undefined;
  const hosts = raw.map((text) => parseSshHost(given ? 'hosts' : 'deployment hosts (configuration)', text));
  const seen = new Set<string>();
  for (const host of hosts) {
    if (seen.has(host.url)) throw invalidValue('hosts', host.url, 'name each host once');
    seen.add(host.url);
  }
  const privateKey = inputs.get('ssh-key');
  const knownHosts = inputs.get('known-hosts');
  const plan: RemoteHostsPlan = {
    hosts,
    acceptNewHostKeys: parseBoolean('accept-new-host-keys', inputs.get('accept-new-host-keys')),
    dockerSocket: remoteDockerSocket(inputs.get('docker-host')),
    ...(privateKey ? { privateKey } : {}),
    ...(knownHosts ? { knownHosts } : {}),
  };
  if (!plan.knownHosts && !plan.acceptNewHostKeys) {
    throw invalidValue(
      'known-hosts',
      '',
      "give the hosts' known_hosts lines (ssh-keyscan from a network you trust), or set accept-new-host-keys: true to trust keys on first use",
    );
  }
  io.log.info(`reaching ${hosts.length} host(s) over SSH: ${hosts.map((host) => host.url).join(', ')}`);
  return plan;
}

/** The deploy's waves and the hosts' registry login (fleetDeployInputs), checked with the other inputs. */
export function readFleetDeploy(inputs: InputReader<keyof typeof fleetDeployInputs>): Pick<RemoteHostsPlan, 'bootLimit' | 'registryLogin'> {
  const bootLimit = inputs.get('boot-limit');
  const username = inputs.get('username');
  const password = inputs.get('password');
  if ((username || password) && !(username && password)) {
    throw invalidValue(username ? 'password' : 'username', '', 'give both username and password for the registry login, or neither');
  }
  if (username && !inputs.get('registry')) throw invalidValue('registry', '', 'name the registry the hosts pull from with username and password, e.g. ghcr.io');
  return {
    ...(bootLimit ? { bootLimit: parseBootLimit('boot-limit', bootLimit) } : {}),
    ...(username ? { registryLogin: { registry: checkRegistryHost('registry', inputs.get('registry')), username, password } } : {}),
  };
}

function remoteDockerSocket(dockerHost: string): string {
  if (!dockerHost) return DEFAULT_DOCKER_SOCKET;
  const match = /^unix:\/\/(\/[^\s:]+)$/.exec(dockerHost);
  if (!match) throw invalidValue('docker-host', dockerHost, "with hosts, name the engine's socket on each host: unix:///var/run/docker.sock");
  return match[1]!;
}

/**
 * One connection per host, opened side by side; if one fails, those opened are closed and the error
 * names its host. close() ends every connection and removes the run's registry login.
 */
export async function openFleet(
  plan: RemoteHostsPlan,
  router: RemoteHostSettings['router'],
  io: ActionIO,
): Promise<{ hosts: RemoteHost[]; close(): Promise<void> }> {
  const runnerDocker = new DockerCli();
  const dockerConfig = plan.registryLogin ? await loginForRun(plan.registryLogin, io) : undefined;
  const opened = await Promise.allSettled(
    plan.hosts.map((host) =>
      openRemoteHost({
        host,
        router,
        logger: io.log,
        dockerSocket: plan.dockerSocket,
        runnerDocker,
        ...(dockerConfig ? { dockerConfig: dockerConfig.dir } : {}),
        acceptNewHostKeys: plan.acceptNewHostKeys,
        ...(plan.privateKey ? { privateKey: plan.privateKey } : {}),
        ...(plan.knownHosts ? { knownHosts: plan.knownHosts } : {}),
      }),
    ),
  );
  const failed = opened.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []));
  const hosts = opened.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  if (failed.length > 0) {
    await Promise.all(hosts.map((host) => host.close()));
    await dockerConfig?.remove();
    throw failed[0];
  }
  return {
    hosts,
    close: async () => {
      await Promise.all(hosts.map((host) => host.close()));
      await dockerConfig?.remove();
    },
  };
}

/** `docker login` into a config directory of this run's own, removed at the end: the runner's own config is never touched. */
async function loginForRun(login: NonNullable<RemoteHostsPlan['registryLogin']>, io: ActionIO): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'sidhe-docker-config-'));
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    await new ImageBuilder({ env: { ...process.env, DOCKER_CONFIG: dir }, logger: io.log }).login(login.registry, login.username, login.password);
  } catch (error) {
    await remove();
    throw error;
  }
  return { dir, remove };
}
