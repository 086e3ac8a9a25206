import { githubClient, githubError, type GitHubAccess, type GitHubClient } from './github-client.ts';

/** A deployment as this suite reads it back (GET /repos/{owner}/{repo}/deployments). */
export interface DeploymentView {
  id: number;
  sha: string;
  task: string;
  environment: string;
  payload: unknown;
  /** ms since the epoch. */
  createdAt: number;
}

export type DeploymentState = 'error' | 'failure' | 'inactive' | 'in_progress' | 'queued' | 'pending' | 'success';

export interface DeploymentStatusView {
  state: DeploymentState;
  description: string;
  createdAt: number;
}

export interface NewDeployment {
  /** The commit deployed: a SHA GitHub knows. */
  ref: string;
  environment: string;
  /** `deploy`, or `deploy:rollback`. */
  task: string;
  payload: Record<string, unknown>;
  description: string;
  productionEnvironment: boolean;
  /** A preview: GitHub shows it as an environment that goes away. */
  transient?: boolean;
}

export interface NewDeploymentStatus {
  state: DeploymentState;
  /** GitHub keeps 140 characters. */
  description: string;
  logUrl?: string;
  environmentUrl?: string;
}

/** A refused call, with GitHub's HTTP status (undefined for a network error) so callers can explain it. */
export class GitHubApiError extends Error {
  override name = 'GitHubApiError';
  readonly status: number | undefined;
  constructor(what: string, error: unknown) {
    const { status, message } = githubError(error);
    super(`${what}: ${status ? `HTTP ${status}: ` : ''}${message}`);
    this.status = status;
  }
}

const DESCRIPTION_LIMIT = 140;
/** Each call gives up after this long: GitHub being slow must not hold a deploy. */
const CALL_TIMEOUT_MS = 15_000;
const PAGE = 100;

/**
 * GitHub's Deployments REST API for one repository, through Octokit:
 * the calls that record deploys and rollbacks and read their history. Needs `deployments: write` to
 * record, `deployments: read` to read.
 */
export class GitHubDeploymentsApi {
  readonly #client: GitHubClient;
  readonly repository: string;

  constructor(access: GitHubAccess) {
    this.#client = githubClient(access);
    this.repository = access.repository;
  }

  async create(deployment: NewDeployment): Promise<number> {
    const { owner, repo } = this.#client;
    const octokit = await this.#client.octokit();
    const response = await call(`creating a deployment of ${deployment.ref} to ${deployment.environment} in ${this.repository}`, () =>
      octokit.request('POST /repos/{owner}/{repo}/deployments', {
        owner,
        repo,
        ref: deployment.ref,
        task: deployment.task,
        environment: deployment.environment,
        payload: deployment.payload,
        description: deployment.description.slice(0, DESCRIPTION_LIMIT),
        // The release was built and gated already: GitHub must not merge branches or wait for checks.
        auto_merge: false,
        required_contexts: [],
        transient_environment: deployment.transient ?? false,
        production_environment: deployment.productionEnvironment,
        request: { signal: AbortSignal.timeout(CALL_TIMEOUT_MS) },
      }),
    );
    const data = response.data as { id?: number; message?: string };
    if (typeof data.id !== 'number')
      throw new Error(`creating a deployment in ${this.repository}: GitHub answered without one (${data.message ?? response.status})`);
    return data.id;
  }

  async setStatus(id: number, status: NewDeploymentStatus): Promise<void> {
    const { owner, repo } = this.#client;
    const octokit = await this.#client.octokit();
    await call(`setting deployment ${id} of ${this.repository} to ${status.state}`, () =>
      octokit.request('POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses', {
        owner,
        repo,
        deployment_id: id,
        state: status.state,
        description: status.description.slice(0, DESCRIPTION_LIMIT),
        ...(status.logUrl ? { log_url: status.logUrl } : {}),
        ...(status.environmentUrl ? { environment_url: status.environmentUrl } : {}),
        // This suite marks the deployment it replaced inactive itself: GitHub's own marking skips
        // production environments.
        auto_inactive: false,
        request: { signal: AbortSignal.timeout(CALL_TIMEOUT_MS) },
      }),
    );
  }

  /** Deployments (of one environment, or all), newest first, created at or after `since`; read page by page. */
  async *list(environment: string | undefined, since = 0): AsyncGenerator<DeploymentView> {
    const { owner, repo } = this.#client;
    const octokit = await this.#client.octokit();
    for (let page = 1; ; page++) {
      const response = await call(`listing deployments${environment ? ` to ${environment}` : ''} in ${this.repository}`, () =>
        octokit.request('GET /repos/{owner}/{repo}/deployments', {
          owner,
          repo,
          ...(environment ? { environment } : {}),
          per_page: PAGE,
          page,
          request: { signal: AbortSignal.timeout(CALL_TIMEOUT_MS) },
        }),
      );
      for (const d of response.data) {
        const createdAt = Date.parse(d.created_at);
        if (createdAt < since) return;
        yield { id: Number(d.id), sha: d.sha, task: d.task, environment: d.environment, payload: d.payload, createdAt };
      }
      if (response.data.length < PAGE) return;
    }
  }

  /** Every status of a deployment, newest first; read page by page. */
  async statuses(id: number): Promise<DeploymentStatusView[]> {
    const { owner, repo } = this.#client;
    const octokit = await this.#client.octokit();
    const all: DeploymentStatusView[] = [];
    for (let page = 1; ; page++) {
      const response = await call(`reading the statuses of deployment ${id} in ${this.repository}`, () =>
        octokit.request('GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses', {
          owner,
          repo,
          deployment_id: id,
          per_page: PAGE,
          page,
          request: { signal: AbortSignal.timeout(CALL_TIMEOUT_MS) },
        }),
      );
      all.push(...response.data.map((s) => ({ state: s.state, description: s.description ?? '', createdAt: Date.parse(s.created_at) })));
      if (response.data.length < PAGE) return all;
    }
  }

  /** When the commit was made (its committer date), or undefined when GitHub does not know it. */
  async commitTime(sha: string): Promise<number | undefined> {
    const { owner, repo } = this.#client;
    const octokit = await this.#client.octokit();
    try {
      const { data } = await octokit.request('GET /repos/{owner}/{repo}/commits/{ref}', {
        owner,
        repo,
        ref: sha,
        per_page: 1,
        request: { signal: AbortSignal.timeout(CALL_TIMEOUT_MS) },
      });
      const date = data.commit.committer?.date ?? data.commit.author?.date;
      return date ? Date.parse(date) : undefined;
    } catch (error) {
      if ([404, 422].includes(githubError(error).status ?? 0)) return undefined;
      throw new GitHubApiError(`reading commit ${sha} of ${this.repository}`, error);
    }
  }
}

async function call<T>(what: string, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    throw new GitHubApiError(what, error);
  }
}
