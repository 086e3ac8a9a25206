import { errorMessage } from '../../core/errors.ts';
import type { DevopsEvent, EventSink } from '../../core/events/devops-event.ts';
import type { Logger } from '../../core/logger.ts';
import type { DeploymentState, GitHubDeploymentsApi } from './deployments-api.ts';
import { GitHubApiError } from './deployments-api.ts';
import { DEPLOY_TASK, ROLLBACK_TASK, SWITCHED_DESCRIPTION, readPayload, type SidhePayload } from './deployment-payload.ts';

export interface GitHubDeploymentsSinkOptions {
  api: Pick<GitHubDeploymentsApi, 'create' | 'setStatus' | 'list' | 'statuses' | 'repository'>;
  logger: Logger;
  /** The service's public address, shown on the environment's page. */
  environmentUrl?: string;
  /** Deployments to a preview environment, which teardown removes (transient_environment). */
  transient?: boolean;
}

/** How many of the environment's newest deployments are searched for the one a success replaced. */
const REPLACED_SEARCH_LIMIT = 20;

/**
 * Records one action run's deploy or rollback in GitHub Deployments from its events: a deployment
 * when the release is known (payload: release, image digest, strategy), `in_progress` statuses as it
 * starts and takes traffic, then `success` or `failure`, with the run's log and the environment's URL;
 * a success marks the deployment it replaced `inactive`.
 *
 * Like every sink it never fails the action: a refused call (no `deployments: write`, GitHub down)
 * warns once, and the rest of the run is not recorded, so no half-written history is guessed at.
 */
export class GitHubDeploymentsSink implements EventSink {
  readonly #options: GitHubDeploymentsSinkOptions;
  #id: number | undefined;
  #image: string | undefined;
  #finished = false;
  #stopped = false;

  constructor(options: GitHubDeploymentsSinkOptions) {
    this.#options = options;
  }

  async emit(event: DevopsEvent): Promise<void> {
    if (this.#stopped) return;
    try {
      await this.#record(event);
    } catch (error) {
      this.#stopped = true;
      this.#options.logger.warning(`GitHub Deployments: not recorded from here on: ${explain(error)}`);
    }
  }

  async #record(event: DevopsEvent): Promise<void> {
    switch (event.type) {
      case 'deploy.started':
      case 'canary.started':
        this.#image = event.image;
        return;
      case 'deploy.release_started':
        await this.#create(event);
        return this.#status(event, 'in_progress', `release ${event.release} starting in ${event.colour}`);
      case 'deploy.switched':
        return this.#status(event, 'in_progress', `${SWITCHED_DESCRIPTION} ${event.colour}`);
      case 'deploy.succeeded':
        return this.#succeed(event);
      case 'rollback.succeeded':
        if (this.#id === undefined) {
          await this.#create(event);
          await this.#status(event, 'in_progress', `${SWITCHED_DESCRIPTION} ${event.colour}`);
        }
        return this.#succeed(event);
      case 'canary.step':
        return this.#status(event, 'in_progress', `${SWITCHED_DESCRIPTION} ${event.colour}: canary at ${event.weight}%`);
      case 'canary.paused':
        return this.#status(event, 'in_progress', `canary paused at ${event.weight}% in ${event.colour}`);
      case 'canary.promoted':
        // A later run's `action: promote` finishes a paused canary: its deployment is recorded here.
        if (this.#id === undefined) {
          await this.#create(event);
          await this.#status(event, 'in_progress', `${SWITCHED_DESCRIPTION} ${event.colour}`);
        }
        return this.#succeed(event);
      case 'canary.aborted':
        if (this.#id === undefined) await this.#create(event);
        return this.#finish(event, 'failure', `canary aborted: ${event.message ?? 'aborted'}`);
      case 'deploy.switched_back':
        return this.#finish(event, 'failure', `switched back: ${event.message ?? 'unhealthy after the switch'}`);
      case 'deploy.failed':
      case 'rollback.failed':
        if (this.#finished) return;
        if (this.#id === undefined) await this.#create(event);
        return this.#finish(event, 'failure', event.message ?? 'failed');
      case 'deploy.unchanged':
        this.#options.logger.info(`GitHub Deployments: ${event.release} already serves; nothing new to record`);
        return;
      default:
        return;
    }
  }

  async #create(event: DevopsEvent): Promise<void> {
    if (this.#id !== undefined) return;
    const kind = event.action === 'rollback' ? 'rollback' : 'deploy';
    const image = event.image ?? this.#image;
    const payload: SidhePayload = {
      sidhe: 1,
      operation: event.operation ?? '',
      kind,
      ...pick(event, 'app', 'release', 'imageDigest', 'strategy', 'previousRelease'),
      ...(image ? { image } : {}),
    };
    const what = event.release ? `release ${event.release}` : (image ?? 'a release');
    this.#id = await this.#options.api.create({
      ref: event.commit!,
      environment: event.environment!,
      task: kind === 'rollback' ? ROLLBACK_TASK : DEPLOY_TASK,
      payload: payload as unknown as Record<string, unknown>,
      description: `${kind === 'rollback' ? 'rollback to' : 'deploy of'} ${what} by SIDHE DevOps`,
      productionEnvironment: event.environment === 'production',
      ...(this.#options.transient ? { transient: true } : {}),
    });
    this.#options.logger.info(`GitHub Deployments: deployment ${this.#id} of ${what} to ${event.environment} in ${this.#options.api.repository}`);
  }

  async #status(event: DevopsEvent, state: DeploymentState, description: string): Promise<void> {
    if (this.#id === undefined) return;
    const { environmentUrl } = this.#options;
    await this.#options.api.setStatus(this.#id, {
      state,
      description,
      ...(event.runUrl ? { logUrl: event.runUrl } : {}),
      ...(environmentUrl && state === 'success' ? { environmentUrl } : {}),
    });
  }

  async #finish(event: DevopsEvent, state: 'success' | 'failure', description: string): Promise<void> {
    if (this.#finished || this.#id === undefined) return;
    await this.#status(event, state, description);
    this.#finished = true;
  }

  async #succeed(event: DevopsEvent): Promise<void> {
    await this.#finish(event, 'success', `release ${event.release} serves in ${event.colour}`);
    await this.#markReplacedInactive(event);
  }

  /** The newest earlier deployment of the app whose last status is success no longer serves. */
  async #markReplacedInactive(event: DevopsEvent): Promise<void> {
    const { api } = this.#options;
    let searched = 0;
    for await (const deployment of api.list(event.environment)) {
      if (++searched > REPLACED_SEARCH_LIMIT) return;
      const payload = readPayload(deployment.payload);
      if (deployment.id === this.#id || !payload || payload.app !== event.app) continue;
      const [latest] = await api.statuses(deployment.id);
      if (latest?.state === 'inactive') return;
      if (latest?.state !== 'success') continue;
      await api.setStatus(deployment.id, { state: 'inactive', description: `replaced by release ${event.release}` });
      return;
    }
  }
}

function pick<K extends keyof DevopsEvent>(event: DevopsEvent, ...keys: K[]): Partial<Pick<DevopsEvent, K>> {
  return Object.fromEntries(keys.filter((k) => event[k] !== undefined).map((k) => [k, event[k]])) as Partial<Pick<DevopsEvent, K>>;
}

/** A refusal in words the user can act on. */
function explain(error: unknown): string {
  if (!(error instanceof GitHubApiError)) return errorMessage(error);
  switch (error.status) {
    case 401:
      return `${error.message}; the token was refused: pass a valid github-token`;
    case 403:
    case 404:
      return `${error.message}; give the job \`permissions: deployments: write\` (a fork's pull request gets a read-only token)`;
    default:
      return error.message;
  }
}
