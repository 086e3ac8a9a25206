import { randomUUID } from 'node:crypto';
import { RedisEventSink } from '../packages/adapters/bus/redis-event-sink.ts';
import type { GitHubDeploymentsApi } from '../packages/adapters/github/deployments-api.ts';
import { GitHubDeploymentsSink } from '../packages/adapters/github/deployments-sink.ts';
import { parseRedisUrl } from '../packages/adapters/bus/redis-url.ts';
import { urlCredentials } from '../packages/core/url-credentials.ts';
import type { DevopsConfig } from '../packages/core/config/index.ts';
import { eventStamper, fanOut, type EventFields, type EventSink, type EventType } from '../packages/core/events/devops-event.ts';
import type { ActionIO } from '../packages/runtime/action-io.ts';
import { githubDeployments } from './github-deployments.ts';

/** What every event of one action run shares besides who ran it and where. */
export interface EventScope {
  action: string;
  app?: string;
  environment?: string;
  strategy?: EventFields['strategy'];
}

/** Where events go: each configured destination adds a sink. */
export interface EventDestinations {
  /** From eventsRedisUrl(); '' for none. */
  redisUrl: string;
  /** From githubDeployments(): deploys and rollbacks are recorded there too. */
  github?: { api: GitHubDeploymentsApi; environmentUrl?: string; transient?: boolean };
}

export interface EventReporting {
  /** Stamps and sends one event to every sink; never throws. Fits DeployPorts.report. */
  report(type: EventType, fields?: EventFields): Promise<void>;
  /** Closes every sink so the process can exit; call once, in a finally. */
  close(): Promise<void>;
}

/**
 * The Redis URL of the `events-redis-url` input, else of `devops_automator.events.redis_url`; '' for
 * neither. Its password is masked before anything can print it, and a bad URL is a configuration error
 * that never shows the password. Call it early: it starts nothing.
 */
export function eventsRedisUrl(io: ActionIO, input: string, config: DevopsConfig): string {
  const [what, raw] = input ? ['events-redis-url', input] : ['devops_automator.events.redis_url', config.devops_automator.events.redis_url ?? ''];
  if (!raw) return '';
  for (const secret of urlCredentials(raw)) io.setSecret(secret);
  return parseRedisUrl(what, raw);
}

/**
 * Where a deploy or a rollback reports, from its recording inputs (see recordingInputs): the event bus,
 * and GitHub Deployments when the run has a token, a repository and a commit.
 */
export function recordingDestinations(
  io: ActionIO,
  get: (name: 'events-redis-url' | 'github-token' | 'environment-url') => string,
  config: DevopsConfig,
): EventDestinations {
  const redisUrl = eventsRedisUrl(io, get('events-redis-url'), config);
  const api = githubDeployments(io, get('github-token'), 'record');
  const environmentUrl = get('environment-url');
  return { redisUrl, ...(api ? { github: { api, ...(environmentUrl ? { environmentUrl } : {}) } } : {}) };
}

/**
 * A door's `report`: events stamped with the action, its scope and the run (runner, run page, commit),
 * fanned out to the configured sinks. Starts connecting at once; nothing here fails the action.
 */
export function eventReporting(io: ActionIO, scope: EventScope, destinations: EventDestinations): EventReporting {
  const { redisUrl, github } = destinations;
  const sinks: EventSink[] = [
    ...(redisUrl ? [new RedisEventSink({ url: redisUrl, logger: io.log })] : []),
    ...(github
      ? [
          new GitHubDeploymentsSink({
            api: github.api,
            logger: io.log,
            ...(github.environmentUrl ? { environmentUrl: github.environmentUrl } : {}),
            ...(github.transient ? { transient: true } : {}),
          }),
        ]
      : []),
  ];
  const { runner, runUrl, commit } = io.context;
  const { action, ...shared } = scope;
  const run = { operation: randomUUID(), runner, ...(runUrl ? { runUrl } : {}), ...(commit ? { commit } : {}) };
  const stamp = eventStamper(action, { ...shared, ...run }, Date.now);
  const sink = fanOut(sinks);
  return {
    async report(type, fields) {
      if (sinks.length === 0) return;
      io.log.debug(`event ${type}`);
      // Events leave for Redis and GitHub statuses: the same redaction as every other sink.
      await sink.emit(io.redact(stamp(type, fields)));
    },
    async close() {
      await Promise.all(sinks.map(async (s) => s.close?.()));
    },
  };
}
