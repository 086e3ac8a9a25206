import { DockerTarget } from '../packages/adapters/docker/docker-target.ts';
import { readWorkspaceFile, SETTINGS_FILE_LIMIT } from '../packages/adapters/files/workspace-file.ts';
import { createProber } from '../packages/adapters/probes/composite-prober.ts';
import { systemClock } from '../packages/adapters/probes/system-clock.ts';
import { createRouter, ROUTER_KINDS } from '../packages/adapters/routers/create-router.ts';
import { NoRouter } from '../packages/adapters/routers/no-router.ts';
import { environmentStrategy } from '../packages/core/config/environment-strategy.ts';
import type { DevopsConfig } from '../packages/core/config/index.ts';
import { checkNamePart, type Colour } from '../packages/core/deploy/release.ts';
import { fleetPorts, releaseProof } from '../packages/core/fleet/index.ts';
import { invalidValue } from '../packages/core/errors.ts';
import { MAX_TIMER_MS, parseDuration, parseEnum, parseInteger, parseList, parseUrlPath } from '../packages/core/inputs/index.ts';
import type { LockSettings } from '../packages/core/strategies/environment-locking.ts';
import type { ReleaseHealthSettings } from '../packages/core/strategies/release-health.ts';
import type { DeployPorts } from '../packages/core/strategies/deploy-ports.ts';
import type { ActionIO } from '../packages/runtime/action-io.ts';
import type { InputReader } from '../packages/runtime/input-reader.ts';
import type { RemoteHost } from '../packages/adapters/ssh/remote-host.ts';
import { openFleet, readFleetDeploy, readRemoteHosts } from './remote-hosts.ts';
import type { TrafficInputName } from './shared-inputs.ts';

/**
 * The real adapters behind the strategy's ports, from the traffic inputs every such action shares: the
 * runner's own engine and router, or, with `hosts`, each host's engine, router and probes over its one
 * SSH connection, seen as one fleet. Every input is checked before the first connection opens;
 * close() ends the connections and drops the prober's kept-alive sockets.
 * `routerNone`: `router: none` is allowed (direct deploys). `fleet`: the remote hosts one by one (empty without),
 * for what is read per host: the release each serves, the canary's metrics.
 */
export async function deployPorts(
  inputs: InputReader<TrafficInputName>,
  io: ActionIO,
  config: DevopsConfig,
  options: { routerNone?: boolean } = {},
): Promise<DeployPorts & { close(): Promise<void>; hosts: string[]; fleet: RemoteHost[] }> {
  const app = checkNamePart('app', inputs.required('app'));
  const environment = checkNamePart('environment', inputs.required('environment'));
  const service = inputs.get('router-service') || `${app}-${environment}`;
  const routerKind =
    options.routerNone && inputs.required('router') === 'none' ? ('none' as const) : parseEnum('router', inputs.required('router'), ROUTER_KINDS);
  const hosts = readRemoteHosts(inputs, io, environmentStrategy(config, environment).hosts);
  const remote = hosts && { ...hosts, ...readFleetDeploy(inputs) };
  if (remote) {
    if (routerKind === 'none' && remote.hosts.length > 1) {
      // Without a router a deploy stops the old release before the new one answers: on every host at once.
      throw invalidValue(
        'router',
        'none',
        `with ${remote.hosts.length} hosts nothing would answer on any of them while the release is replaced; give each host a router (haproxy or nginx) so traffic moves host by host, or deploy to one host`,
      );
    }
    const router = { kind: routerKind, endpoint: routerKind === 'none' ? '' : inputs.required('router-endpoint'), service };
    const { hosts: fleet, close } = await openFleet(remote, router, io);
    const health = {
      intervalMs: 1_000,
      timeoutMs: config.devops_automator.deployment.blue_green.health_check_timeout,
      fallbackPath: inputs.get('health-path'),
    };
    const proveWave = releaseProof({ clock: systemClock, logger: io.log }, health);
    const ports = fleetPorts(fleet, { logger: io.log, proveWave, ...(remote.bootLimit === undefined ? {} : { bootLimit: remote.bootLimit }) });
    return { ...ports, clock: systemClock, logger: io.log, close, hosts: fleet.map((host) => host.name), fleet };
  }
  const router = routerKind === 'none' ? new NoRouter(service) : createRouter(routerKind, inputs.required('router-endpoint'), service, { logger: io.log });
  const dockerHost = inputs.get('docker-host');
  const target = new DockerTarget({ ...(dockerHost ? { dockerHost } : {}), logger: io.log });
  const prober = createProber();
  return { target, router, prober, clock: systemClock, logger: io.log, close: async () => prober.close(), hosts: [], fleet: [] };
}

/** Where a release runs and how it is proven healthy: what every traffic-moving action needs. */
export interface ReleasePlace {
  app: string;
  environment: string;
  ports: Record<Colour, number>;
  health: ReleaseHealthSettings;
  lock: LockSettings;
}

/**
 * The traffic inputs every deploy, canary and rollback shares, parsed and checked here, before the
 * lock is taken or a container touched: a bad value must never cost the release that serves.
 */
export function readReleasePlace(inputs: InputReader<TrafficInputName>, io: ActionIO): ReleasePlace {
  return {
    ...readScope(inputs, io),
    ports: parseColourPorts(inputs.get('ports')),
    health: { path: parseUrlPath('health-path', inputs.get('health-path')), intervalMs: 1_000 },
  };
}

/** The app environment an action acts on, and the lock it holds meanwhile. */
export function readScope(inputs: InputReader<TrafficInputName>, io: ActionIO): Pick<ReleasePlace, 'app' | 'environment' | 'lock'> {
  return {
    app: checkNamePart('app', inputs.required('app')),
    environment: checkNamePart('environment', inputs.required('environment')),
    lock: { owner: io.context.runner, timeoutMs: parseDuration('lock-timeout', inputs.get('lock-timeout'), { maxMs: MAX_TIMER_MS }) },
  };
}

/** A ReleasePlace whose ports and health path, when not given, are those the releases recorded. */
export type RecordedPlace = Omit<ReleasePlace, 'ports' | 'health'> & {
  ports?: Record<Colour, number>;
  health: Omit<ReleaseHealthSettings, 'path'> & { path?: string };
};

/**
 * Like readReleasePlace, for actions that act on releases already deployed (rollback): `ports` and
 * `health-path` only when given, so the recorded ones apply otherwise, never defaults that may not match.
 */
export function readRecordedPlace(inputs: InputReader<TrafficInputName>, io: ActionIO): RecordedPlace {
  return {
    ...readScope(inputs, io),
    ...(inputs.given('ports') ? { ports: parseColourPorts(inputs.get('ports')) } : {}),
    health: { ...(inputs.given('health-path') ? { path: parseUrlPath('health-path', inputs.get('health-path')) } : {}), intervalMs: 1_000 },
  };
}

/** `8081,8082` → the port of each colour. */
export function parseColourPorts(raw: string): Record<Colour, number> {
  const parts = parseList(raw);
  if (parts.length !== 2) throw invalidValue('ports', raw, 'give two ports, blue then green, e.g. 8081,8082');
  const [blue, green] = parts.map((part) => parseInteger('ports', part, { min: 1, max: 65535 })) as [number, number];
  if (blue === green) throw invalidValue('ports', raw, 'blue and green need different ports');
  return { blue, green };
}

/**
 * The service's environment from `env` (NAME=value lines) and `env-file`. Every value is masked
 * before anything can print it; a malformed line is named by its number, never by its value.
 */
export async function readServiceEnv(envInput: string, envFile: string, io: ActionIO): Promise<Record<string, string>> {
  const env: Record<string, string> = {};
  const take = (text: string, source: string): void => {
    text.split(/\r?\n/).forEach((line, index) => {
      if (line.trim() === '' || line.trimStart().startsWith('#')) return;
      const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
      if (!match) {
        throw invalidValue(source, `line ${index + 1}`, 'use NAME=value lines (NAME of letters, digits and _, not starting with a digit)');
      }
      if (match[2]) io.setSecret(match[2]);
      env[match[1]!] = match[2]!;
    });
  };
  if (envFile) {
    const { text } = await readWorkspaceFile('env-file', envFile, io.context.workspace, { maxBytes: SETTINGS_FILE_LIMIT });
    take(text, 'env-file');
  }
  take(envInput, 'env');
  return env;
}
