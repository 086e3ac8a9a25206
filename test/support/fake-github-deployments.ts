/**
 * A FAKE of GitHub's Deployments REST API, for tests only, served by a FakeGitHubApi. Shapes, defaults
 * and errors follow GitHub's documentation (REST API › Deployments, Deployment statuses, Commits):
 *
 *   POST /repos/{owner}/{repo}/deployments                        201 deployment; 422 for a ref the repository lacks
 *   GET  /repos/{owner}/{repo}/deployments                        ?sha &ref &task &environment &per_page &page, newest first
 *   POST /repos/{owner}/{repo}/deployments/{id}/statuses          201 status; `auto_inactive` (default true) as documented
 *   GET  /repos/{owner}/{repo}/deployments/{id}/statuses          newest first, paged
 *   GET  /repos/{owner}/{repo}/commits/{ref}                      the commit, for its dates
 *
 * Timestamps have GitHub's whole-second resolution; `now` can be set to place records in time.
 */
import type { FakeGitHubApi, FakeRequest, FakeResponse } from './fake-github-api.ts';

export interface FakeDeployment {
  id: number;
  node_id: string;
  url: string;
  sha: string;
  ref: string;
  task: string;
  payload: unknown;
  original_environment: string;
  environment: string;
  description: string | null;
  creator: { login: string; id: number; type: string };
  created_at: string;
  updated_at: string;
  statuses_url: string;
  repository_url: string;
  transient_environment: boolean;
  production_environment: boolean;
}

export interface FakeDeploymentStatus {
  id: number;
  node_id: string;
  url: string;
  state: string;
  creator: FakeDeployment['creator'];
  description: string;
  environment: string;
  target_url: string;
  created_at: string;
  updated_at: string;
  deployment_url: string;
  repository_url: string;
  environment_url: string;
  log_url: string;
}

const STATES = ['error', 'failure', 'inactive', 'in_progress', 'queued', 'pending', 'success'];
const CREATOR = { login: 'github-actions[bot]', id: 41898282, type: 'Bot' };

const fail = (status: number, message: string): FakeResponse => ({
  status,
  body: { message, documentation_url: 'https://docs.github.com/rest/deployments', status: String(status) },
});

/** GitHub's timestamps: ISO 8601, whole seconds, Z. */
const stamp = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

export class FakeDeployments {
  /** Deployments by `owner/repo`, oldest first. */
  readonly deployments = new Map<string, FakeDeployment[]>();
  readonly statuses = new Map<number, FakeDeploymentStatus[]>();
  /** Commits the repositories hold, by `owner/repo@sha`: the committer date. */
  readonly commits = new Map<string, string>();
  /** The fake's clock, in ms; tests move it to place records in time. */
  now: () => number = Date.now;
  readonly #api: FakeGitHubApi;
  #nextId = 500;

  constructor(api: FakeGitHubApi) {
    this.#api = api;
    api.route('POST', '/repos/{owner}/{repo}/deployments', (req) => this.#create(req));
    api.route('GET', '/repos/{owner}/{repo}/deployments', (req) => this.#list(req));
    api.route('POST', '/repos/{owner}/{repo}/deployments/{id}/statuses', (req) => this.#createStatus(req));
    api.route('GET', '/repos/{owner}/{repo}/deployments/{id}/statuses', (req) => this.#listStatuses(req));
    api.route('GET', '/repos/{owner}/{repo}/commits/{ref}', (req) => this.#commit(req));
  }

  addCommit(repository: string, sha: string, committedAt: string): void {
    this.commits.set(`${repository}@${sha}`, committedAt);
  }

  /** The repository's deployments with their statuses (oldest first each), for assertions. */
  history(repository: string): (FakeDeployment & { states: string[] })[] {
    return (this.deployments.get(repository) ?? []).map((d) => ({ ...d, states: (this.statuses.get(d.id) ?? []).map((s) => s.state) }));
  }

  #base(req: FakeRequest): string {
    return `${this.#api.url}/repos/${req.params.owner}/${req.params.repo}`;
  }

  #create(req: FakeRequest): FakeResponse {
    const repository = `${req.params.owner}/${req.params.repo}`;
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (typeof body.ref !== 'string' || body.ref === '') return fail(422, 'Invalid request.\n\n"ref" wasn\'t supplied.');
    if (!this.commits.has(`${repository}@${body.ref}`)) return fail(422, `No ref found for: ${body.ref}`);
    const environment = typeof body.environment === 'string' ? body.environment : 'production';
    const id = this.#nextId++;
    const created = stamp(this.now());
    const deployment: FakeDeployment = {
      id,
      node_id: `DE_fake${id}`,
      url: `${this.#base(req)}/deployments/${id}`,
      sha: body.ref,
      ref: body.ref,
      task: typeof body.task === 'string' ? body.task : 'deploy',
      payload: body.payload ?? {},
      original_environment: environment,
      environment,
      description: typeof body.description === 'string' ? body.description : null,
      creator: CREATOR,
      created_at: created,
      updated_at: created,
      statuses_url: `${this.#base(req)}/deployments/${id}/statuses`,
      repository_url: this.#base(req),
      transient_environment: body.transient_environment === true,
      production_environment: typeof body.production_environment === 'boolean' ? body.production_environment : environment === 'production',
    };
    this.deployments.set(repository, [...(this.deployments.get(repository) ?? []), deployment]);
    return { status: 201, body: deployment };
  }

  #list(req: FakeRequest): FakeResponse {
    const repository = `${req.params.owner}/${req.params.repo}`;
    const filters = ['sha', 'ref', 'task', 'environment'] as const;
    const selected = [...(this.deployments.get(repository) ?? [])]
      .reverse()
      .filter((d) => filters.every((f) => !req.query.has(f) || d[f] === req.query.get(f)));
    const { items, headers } = this.#api.paged(selected, req, `/repos/${repository}/deployments`);
    return { status: 200, body: items, headers };
  }

  #find(req: FakeRequest): FakeDeployment | undefined {
    const id = Number(req.params.id);
    return this.deployments.get(`${req.params.owner}/${req.params.repo}`)?.find((d) => d.id === id);
  }

  #createStatus(req: FakeRequest): FakeResponse {
    const deployment = this.#find(req);
    if (!deployment) return fail(404, 'Not Found');
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (typeof body.state !== 'string' || !STATES.includes(body.state)) {
      return fail(422, `Invalid request.\n\nstate must be one of: ${STATES.join(', ')}`);
    }
    const status = this.#addStatus(req, deployment, body);
    // Documented: unless auto_inactive is false, a success marks prior successful deployments of the same
    // environment inactive, but only non-transient, non-production ones.
    if (body.state === 'success' && body.auto_inactive !== false && !deployment.production_environment && !deployment.transient_environment) {
      for (const prior of this.deployments.get(`${req.params.owner}/${req.params.repo}`) ?? []) {
        const states = (this.statuses.get(prior.id) ?? []).map((s) => s.state);
        if (prior.id < deployment.id && prior.environment === deployment.environment && states.at(-1) === 'success') {
          this.#addStatus(req, prior, { state: 'inactive' });
        }
      }
    }
    return { status: 201, body: status };
  }

  #addStatus(req: FakeRequest, deployment: FakeDeployment, body: Record<string, unknown>): FakeDeploymentStatus {
    const id = this.#nextId++;
    const created = stamp(this.now());
    const text = (key: string): string => (typeof body[key] === 'string' ? body[key] : '');
    const status: FakeDeploymentStatus = {
      id,
      node_id: `DES_fake${id}`,
      url: `${deployment.url}/statuses/${id}`,
      state: body.state as string,
      creator: CREATOR,
      description: text('description').slice(0, 140),
      environment: text('environment') || deployment.environment,
      target_url: text('log_url') || text('target_url'),
      created_at: created,
      updated_at: created,
      deployment_url: deployment.url,
      repository_url: this.#base(req),
      environment_url: text('environment_url'),
      log_url: text('log_url') || text('target_url'),
    };
    this.statuses.set(deployment.id, [...(this.statuses.get(deployment.id) ?? []), status]);
    return status;
  }

  #listStatuses(req: FakeRequest): FakeResponse {
    const deployment = this.#find(req);
    if (!deployment) return fail(404, 'Not Found');
    const newestFirst = [...(this.statuses.get(deployment.id) ?? [])].reverse();
    const { items, headers } = this.#api.paged(newestFirst, req, `/repos/${req.params.owner}/${req.params.repo}/deployments/${deployment.id}/statuses`);
    return { status: 200, body: items, headers };
  }

  #commit(req: FakeRequest): FakeResponse {
    const date = this.commits.get(`${req.params.owner}/${req.params.repo}@${req.params.ref}`);
    if (!date) return fail(422, `No commit found for SHA: ${req.params.ref}`);
    const who = { name: 'Dev', email: 'dev@example.com', date };
    return { status: 200, body: { sha: req.params.ref, commit: { author: who, committer: who, message: 'change' }, files: [], stats: {} } };
  }
}
