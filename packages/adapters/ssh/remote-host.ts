import type { FleetHost } from '../../core/fleet/index.ts';
import type { Logger } from '../../core/logger.ts';
import type { Router } from '../../core/routing/router.ts';
import { DockerCli } from '../docker/docker-cli.ts';
import { DockerTarget } from '../docker/docker-target.ts';
import { remoteSystem, type HostExec, type HostSystem } from '../host/host-system.ts';
import { createProber } from '../probes/composite-prober.ts';
import { createHostHttpProbe } from '../probes/host-http-probe.ts';
import { ROUTER_KINDS } from '../routers/create-router.ts';
import { parseHaproxyEndpoint, type AdminSocket, type HaproxyEndpoint } from '../routers/haproxy-endpoint.ts';
import { HaproxyRouter } from '../routers/haproxy-router.ts';
import { parseNginxEndpoint } from '../routers/nginx-endpoint.ts';
import { NginxRouter } from '../routers/nginx-router.ts';
import { NoRouter } from '../routers/no-router.ts';
import { transferImage } from './image-transfer.ts';
import { openSshConnection, type SshConnection, type SshConnectionOptions } from './ssh-connection.ts';

export interface RemoteHostSettings extends Omit<SshConnectionOptions, 'log'> {
  /** The engine's socket on the host. */
  dockerSocket: string;
  /** The host's own router in front of the service, as the traffic inputs name it (paths are the host's). */
  router: { kind: (typeof ROUTER_KINDS)[number] | 'none'; endpoint: string; service: string };
  logger: Logger;
  /** The runner's engine, where an image the host cannot pull is streamed from. */
  runnerDocker?: DockerCli;
  /**
   * The docker CLI's config directory (registry logins). The CLI runs here and sends the credentials
   * with each pull through the forwarded socket; nothing is stored on the host. Default: the runner's.
   */
  dockerConfig?: string;
}

export type RemoteHost = FleetHost & {
  target: DockerTarget;
  connection: SshConnection;
  /** The host's files and programs, for what reads the host directly (an access log). */
  system: HostSystem;
  /** HAProxy's admin socket as forwarded here, when the host's router is HAProxy: its counters too are read through it. */
  haproxy?: HaproxyEndpoint;
  close(): Promise<void>;
};

/**
 * One server reached over its one SSH connection: its Docker engine through a forwarded socket, its
 * router (HAProxy's admin socket forwarded, or nginx's files and commands run there), and HTTP probes
 * run on it with its curl. Everything rides the same connection; close() ends it.
 */
export async function openRemoteHost(settings: RemoteHostSettings): Promise<RemoteHost> {
  const { logger } = settings;
  // The engine's socket and HAProxy's unix admin socket are forwarded by the master as it connects.
  const haproxyEndpoint = settings.router.kind === 'haproxy' ? parseHaproxyEndpoint(settings.router.endpoint) : undefined;
  const unixSockets = [settings.dockerSocket, ...(haproxyEndpoint?.socket.kind === 'unix' ? [haproxyEndpoint.socket.path] : [])];
  const connection = await openSshConnection({ ...settings, unixSockets, log: (message) => logger.info(message) });
  try {
    const name = connection.host.url;
    const exec: HostExec = async (argv, options) => ({ ...(await connection.exec(argv, options)), timedOut: false });
    const system = remoteSystem(name, exec);
    const dockerHost = `unix://${await connection.forwardUnixSocket(settings.dockerSocket)}`;
    const { runnerDocker } = settings;
    const supplyImage = runnerDocker ? (image: string) => supplyFromRunner(runnerDocker, connection, image) : undefined;
    const env = settings.dockerConfig ? { ...process.env, DOCKER_CONFIG: settings.dockerConfig } : process.env;
    const target = new DockerTarget({ dockerHost, describeAs: name, logger, env, ...(supplyImage ? { supplyImage } : {}) });
    const { router, haproxy } = await remoteRouter(settings, connection, system, haproxyEndpoint);
    const prober = createProber({ http: createHostHttpProbe(exec, name), env: { ...process.env, DOCKER_HOST: dockerHost } });
    return { name, target, router, prober, connection, system, ...(haproxy ? { haproxy } : {}), close: () => connection.close() };
  } catch (error) {
    await connection.close();
    throw error;
  }
}

async function remoteRouter(
  settings: RemoteHostSettings,
  connection: SshConnection,
  system: HostSystem,
  haproxyEndpoint: HaproxyEndpoint | undefined,
): Promise<{ router: Router; haproxy?: HaproxyEndpoint }> {
  const { kind, endpoint, service } = settings.router;
  switch (kind) {
    case 'none':
      return { router: new NoRouter(service) };
    case 'nginx':
      return { router: new NginxRouter(parseNginxEndpoint(endpoint, service), service, { system }) };
    case 'haproxy': {
      const parsed = haproxyEndpoint ?? parseHaproxyEndpoint(endpoint);
      const socket = await forwardAdminSocket(connection, parsed.socket);
      const haproxy = { ...parsed, socket, text: `${parsed.text} on ${connection.host.url}` };
      return { router: new HaproxyRouter(haproxy, service, { logger: settings.logger, system }), haproxy };
    }
  }
}

/** HAProxy's admin socket as the host sees it, reached from here over the connection. */
async function forwardAdminSocket(connection: SshConnection, socket: AdminSocket): Promise<AdminSocket> {
  if (socket.kind === 'unix') return { kind: 'unix', path: await connection.forwardUnixSocket(socket.path) };
  return { kind: 'tcp', host: '127.0.0.1', port: await connection.forwardTcp(socket.port, socket.host) };
}

/** Streams the image from the runner's engine when the runner has it; false when it does not. */
async function supplyFromRunner(runnerDocker: DockerCli, connection: SshConnection, image: string): Promise<boolean> {
  const local = await runnerDocker.run(['image', 'inspect', '--format', '{{.Id}}', image]).catch(() => undefined);
  if (local?.exitCode !== 0) return false;
  await transferImage(runnerDocker, connection, image);
  return true;
}
