import { setTimeout as sleep } from 'node:timers/promises';
import { closeConnection, openConnection, redisConnection, type RedisConnection } from '../packages/adapters/bus/redis-connection.ts';
import { eventsAfter, recentEvents, type EventFilter } from '../packages/adapters/bus/redis-event-reader.ts';
import { parseRedisUrl } from '../packages/adapters/bus/redis-url.ts';
import { loadConfig } from '../packages/adapters/files/load-config.ts';
import { DEFAULT_CONFIG_PATH } from '../packages/core/config/default-path.ts';
import { maskUrlCredentials } from '../packages/core/url-credentials.ts';
import { ConfigurationError, errorMessage } from '../packages/core/errors.ts';
import type { DevopsEvent } from '../packages/core/events/devops-event.ts';
import { parseInteger } from '../packages/core/inputs/index.ts';
import { stripTerminalEscapes } from '../packages/runtime/terminal-text.ts';

const USAGE = `usage: sidhe-devops events [--follow] [--redis-url URL] [--app A] [--environment E] [--last N] [--config PATH]

Prints the newest events of the event bus (the Redis stream sidhe:devops:events), oldest first, one a
line; with --follow it then prints every new one as it comes, until Ctrl-C.
  --follow, -f       keep printing new events
  --redis-url URL    redis:// or rediss:// URL. Default: devops_automator.events.redis_url of the configuration file
  --app A            only events of this app
  --environment E    only events of this environment
  --last N           how many of the newest events to print first (default 20; 0 for none)
  --config PATH      configuration file (default ${DEFAULT_CONFIG_PATH})
`;

const CONNECT_TIMEOUT_MS = 3_000;
/** How long one XREAD waits before asking again; bounds how late a lost connection is noticed. */
const BLOCK_MS = 5_000;
const RECONNECT_PAUSE_MS = 1_000;

interface Streams {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
}

export interface EventsOptions {
  follow: boolean;
  redisUrl: string;
  config: string;
  last: number;
  filter: EventFilter;
}

/** `--flag value` and `--flag=value`; undefined for --help. */
export function parseEventsArgs(args: readonly string[]): EventsOptions | undefined {
  const options: EventsOptions = { follow: false, redisUrl: '', config: '', last: 20, filter: {} };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--help' || arg === '-h') return undefined;
    if (arg === '--follow' || arg === '-f') {
      options.follow = true;
      continue;
    }
    const match = /^--(redis-url|app|environment|last|config)(?:=(.*))?$/s.exec(arg);
    if (!match) throw new ConfigurationError(`events: unexpected argument ${JSON.stringify(arg)}\n${USAGE}`);
    const value = match[2] ?? args[++i];
    if (value === undefined || value === '') throw new ConfigurationError(`events: --${match[1]} needs a value`);
    switch (match[1]) {
      case 'redis-url':
        options.redisUrl = parseRedisUrl('--redis-url', value);
        break;
      case 'app':
        options.filter.app = value;
        break;
      case 'environment':
        options.filter.environment = value;
        break;
      case 'last':
        options.last = parseInteger('--last', value, { min: 0, max: 10_000 });
        break;
      default:
        options.config = value;
    }
  }
  return options;
}

/**
 * One readable line: time, app/environment, type, then what the event says. Anyone who can write to
 * the stream writes these fields, so no terminal escape in them reaches the terminal.
 */
export function formatEvent(event: DevopsEvent): string {
  const scope = event.app ? `${event.app}/${event.environment ?? '-'}` : '-';
  const details = [
    event.release ? `release ${event.release}${event.colour ? ` (${event.colour})` : ''}` : event.colour ? `colour ${event.colour}` : '',
    event.image ? `image ${event.image}` : '',
    event.previousRelease ? `after ${event.previousRelease}` : '',
    event.durationMs !== undefined ? `in ${event.durationMs} ms` : '',
  ].filter(Boolean);
  const message = event.message ? `${details.length ? ' — ' : ''}${event.message.replace(/\s*\n\s*/g, ' ')}` : '';
  return stripTerminalEscapes(`${event.at}  ${scope}  ${event.type.padEnd(22)}  ${details.join(', ')}${message}`).trimEnd();
}

/** `sidhe-devops events`: returns the exit code (0, 1 when Redis cannot be reached, 2 for a usage error). */
export async function eventsCommand(args: readonly string[], streams: Streams): Promise<number> {
  let options: EventsOptions | undefined;
  try {
    options = parseEventsArgs(args);
    if (!options) {
      streams.out.write(USAGE);
      return 0;
    }
    if (!options.redisUrl) options.redisUrl = await configuredUrl(options.config);
  } catch (error) {
    streams.err.write(`error: ${errorMessage(error)}\n`);
    return 2;
  }
  const where = maskUrlCredentials(options.redisUrl);
  const print = (events: readonly DevopsEvent[]): void => {
    for (const event of events) streams.out.write(`${formatEvent(event)}\n`);
  };

  let client: RedisConnection;
  try {
    client = await connect(options.redisUrl);
  } catch (error) {
    streams.err.write(`error: cannot reach Redis at ${where}: ${errorMessage(error)}\n`);
    return 1;
  }
  const stop = new AbortController();
  const onSignal = (): void => {
    stop.abort();
    void closeConnection(client, 0);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const recent = await recentEvents(client, options.last, options.filter);
    print(recent.events);
    let lastId = recent.lastId;
    while (options.follow && !stop.signal.aborted) {
      try {
        const next = await eventsAfter(client, lastId, options.filter, BLOCK_MS);
        print(next.events);
        lastId = next.lastId;
      } catch (error) {
        if (stop.signal.aborted) break;
        streams.err.write(`events: lost Redis at ${where} (${errorMessage(error)}); reconnecting\n`);
        await closeConnection(client, 0);
        client = await reconnect(options.redisUrl, stop.signal);
        if (!stop.signal.aborted) streams.err.write(`events: reconnected to Redis at ${where}\n`);
      }
    }
    return 0;
  } catch (error) {
    if (stop.signal.aborted) return 0;
    streams.err.write(`error: reading events from Redis at ${where} failed: ${errorMessage(error)}\n`);
    return 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await closeConnection(client);
  }
}

async function configuredUrl(configPath: string): Promise<string> {
  const config = await loadConfig({ path: configPath === DEFAULT_CONFIG_PATH ? '' : configPath, workspace: process.cwd(), input: '--config' });
  const url = config.devops_automator.events.redis_url;
  if (!url) {
    throw new ConfigurationError(
      `events: no Redis to read from; give --redis-url or set devops_automator.events.redis_url in ${configPath || DEFAULT_CONFIG_PATH}`,
    );
  }
  return parseRedisUrl('devops_automator.events.redis_url', url);
}

async function connect(url: string): Promise<RedisConnection> {
  // Errors also reject the command in flight, which is where they are handled.
  const client = await redisConnection(url, { connectTimeoutMs: CONNECT_TIMEOUT_MS, onError: () => undefined });
  await openConnection(client);
  return client;
}

/** Tries again every second until Redis answers or the user stops; the last failed client when stopped. */
async function reconnect(url: string, signal: AbortSignal): Promise<RedisConnection> {
  for (;;) {
    await sleep(RECONNECT_PAUSE_MS, undefined, { signal }).catch(() => undefined);
    const client = await redisConnection(url, { connectTimeoutMs: CONNECT_TIMEOUT_MS, onError: () => undefined });
    if (signal.aborted) return client;
    try {
      await openConnection(client);
      return client;
    } catch {
      // Still down: wait and try again.
    }
  }
}
