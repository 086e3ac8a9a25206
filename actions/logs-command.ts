import { DockerTarget } from '../packages/adapters/docker/docker-target.ts';
import { checkNamePart } from '../packages/core/deploy/release.ts';
import { ConfigurationError, errorMessage } from '../packages/core/errors.ts';
import { parseDuration, parseInteger } from '../packages/core/inputs/index.ts';
import { mergeLogs } from '../packages/core/monitor/merge-logs.ts';

const USAGE = `usage: sidhe-devops logs <app> <environment> [--tail N] [--since DURATION] [--docker-host URL]

Prints the logs of every container of the app's environment (both colours of a release), merged in
time order, each line prefixed by its colour.
  --tail N           the last N lines of each container (default 200)
  --since DURATION   only lines of the last DURATION, e.g. 10m or 2h
  --docker-host URL  the Docker engine (default DOCKER_HOST)
`;

interface Streams {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
}

export interface LogsOptions {
  app: string;
  environment: string;
  tail: number;
  /** In seconds, as `docker logs --since` takes it. */
  sinceSeconds?: number;
  dockerHost: string;
}

/** Undefined for --help. */
export function parseLogsArgs(args: readonly string[]): LogsOptions | undefined {
  const positional: string[] = [];
  const options: Omit<LogsOptions, 'app' | 'environment'> = { tail: 200, dockerHost: '' };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--help' || arg === '-h') return undefined;
    const match = /^--(tail|since|docker-host)(?:=(.*))?$/s.exec(arg);
    if (!match) {
      if (arg.startsWith('-')) throw new ConfigurationError(`logs: unexpected argument ${JSON.stringify(arg)}\n${USAGE}`);
      positional.push(arg);
      continue;
    }
    const value = match[2] ?? args[++i];
    if (value === undefined || value === '') throw new ConfigurationError(`logs: --${match[1]} needs a value`);
    if (match[1] === 'tail') options.tail = parseInteger('--tail', value, { min: 1, max: 100_000 });
    else if (match[1] === 'since') options.sinceSeconds = Math.ceil(parseDuration('--since', value, { minMs: 1_000 }) / 1000);
    else options.dockerHost = value;
  }
  if (positional.length !== 2) throw new ConfigurationError(`logs: give an app and an environment\n${USAGE}`);
  return { ...options, app: checkNamePart('app', positional[0]!), environment: checkNamePart('environment', positional[1]!) };
}

/** `sidhe-devops logs`: 0, 1 when the engine fails, 2 for a usage error. */
export async function logsCommand(args: readonly string[], streams: Streams): Promise<number> {
  let options: LogsOptions | undefined;
  try {
    options = parseLogsArgs(args);
  } catch (error) {
    streams.err.write(`error: ${errorMessage(error)}\n`);
    return 2;
  }
  if (!options) {
    streams.out.write(USAGE);
    return 0;
  }
  try {
    const target = new DockerTarget(options.dockerHost ? { dockerHost: options.dockerHost } : {});
    const containers = await target.list({ app: options.app, environment: options.environment });
    if (containers.length === 0) {
      streams.err.write(`logs: no container of ${options.app}/${options.environment} on the ${target.describe()}\n`);
      return 1;
    }
    const since = options.sinceSeconds === undefined ? {} : { since: `${options.sinceSeconds}s` };
    const sources = await Promise.all(
      containers.map(async (c) => ({
        label: c.trusted ? c.labels.colour : c.name,
        text: await target.timestampedLogs(c.name, { tail: options.tail, ...since }),
      })),
    );
    for (const line of mergeLogs(sources)) streams.out.write(`${line}\n`);
    return 0;
  } catch (error) {
    streams.err.write(`error: ${errorMessage(error)}\n`);
    return 1;
  }
}
