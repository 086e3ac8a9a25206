/**
 * A FAKE of the GitHub REST API, for tests only: nothing here talks to GitHub. It serves, on
 * 127.0.0.1, the documented endpoints the suite calls, with GitHub's shapes and errors, so the real
 * Octokit the suite uses can be pointed at it (GITHUB_API_URL, or Octokit's baseUrl).
 *
 * Served today:
 *   GET /repos/{owner}/{repo}/commits/{ref}/check-runs   ?check_name= &status= &filter=latest|all &per_page= &page=
 *
 * Every request needs `Authorization: token <token>` (or Bearer): else 401 `Bad credentials`.
 * A repository the fake does not hold is 404 `Not Found`. Every request is logged in `requests`.
 *
 * Deployments live in fake-github-deployments.ts. To add endpoints: keep their state in a field, add
 * helpers that seed it, and register each endpoint with `this.route(method, '/repos/{owner}/{repo}/...',
 * handler)` in the constructor; `paged()` gives GitHub's per_page/page paging with a Link header.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRequest {
  method: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
}

export interface FakeResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

type Handler = (request: FakeRequest) => FakeResponse;

interface Route {
  method: string;
  pattern: RegExp;
  handler: Handler;
}

/** A check run as GET .../check-runs returns it (the fields the docs list that tests may read). */
export interface FakeCheckRun {
  id: number;
  name: string;
  head_sha: string;
  status: 'queued' | 'in_progress' | 'completed' | 'waiting' | 'requested' | 'pending';
  conclusion: 'success' | 'failure' | 'neutral' | 'cancelled' | 'skipped' | 'timed_out' | 'action_required' | 'stale' | null;
  started_at: string;
  completed_at: string | null;
  details_url: string;
  html_url: string;
  url: string;
  external_id: string;
  node_id: string;
  output: { title: string | null; summary: string | null; text: string | null; annotations_count: number; annotations_url: string };
  check_suite: { id: number };
  app: { id: number; slug: string; name: string };
  pull_requests: unknown[];
}

export type CheckRunSeed = Pick<FakeCheckRun, 'name' | 'status'> & Partial<FakeCheckRun>;

const error = (status: number, message: string): FakeResponse => ({
  status,
  body: { message, documentation_url: 'https://docs.github.com/rest', status: String(status) },
});

export class FakeGitHubApi {
  readonly requests: string[] = [];
  /** Repositories the fake holds, as `owner/repo`; any other is 404. */
  readonly repositories: Set<string>;
  /** Check runs by `owner/repo@ref` (a SHA, branch or tag, as the test seeds it), oldest first. */
  readonly checkRuns = new Map<string, FakeCheckRun[]>();
  readonly token: string;
  #routes: Route[] = [];
  #server: http.Server | undefined;
  #url = '';
  #nextId = 1000;

  constructor(token: string, repositories: string[]) {
    this.token = token;
    this.repositories = new Set(repositories);
    this.route('GET', '/repos/{owner}/{repo}/commits/{ref}/check-runs', (req) => this.#listCheckRuns(req));
  }

  get url(): string {
    return this.#url;
  }

  /** Registers an endpoint; `{name}` in the template matches one path segment into `params.name`. */
  route(method: string, template: string, handler: Handler): void {
    const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, '(?<$1>[^/]+)');
    this.#routes.push({ method, pattern: new RegExp(`^${source}$`), handler });
  }

  /** Adds a check run to a commit, newest last; unset fields get the values an Actions job has. */
  addCheckRun(repository: string, ref: string, seed: CheckRunSeed): FakeCheckRun {
    const id = this.#nextId++;
    const completed = seed.status === 'completed';
    const base = `${this.#url || 'http://127.0.0.1'}/repos/${repository}/check-runs/${id}`;
    const run: FakeCheckRun = {
      id,
      head_sha: ref,
      conclusion: completed ? 'success' : null,
      started_at: new Date(Date.UTC(2026, 0, 1, 0, 0, id - 1000)).toISOString(),
      completed_at: completed ? new Date(Date.UTC(2026, 0, 1, 0, 5, id - 1000)).toISOString() : null,
      details_url: `https://github.com/${repository}/actions/runs/1/job/${id}`,
      html_url: `https://github.com/${repository}/actions/runs/1/job/${id}`,
      url: base,
      external_id: '',
      node_id: `CR_fake${id}`,
      output: { title: null, summary: null, text: null, annotations_count: 0, annotations_url: `${base}/annotations` },
      check_suite: { id: 1 },
      app: { id: 15368, slug: 'github-actions', name: 'GitHub Actions' },
      pull_requests: [],
      ...seed,
    };
    if (!this.repositories.has(repository)) throw new Error(`fake GitHub API: repository ${repository} was not given to the constructor`);
    const key = `${repository}@${ref}`;
    this.checkRuns.set(key, [...(this.checkRuns.get(key) ?? []), run]);
    return run;
  }

  async start(): Promise<string> {
    this.#server = http.createServer((req, res) => void this.#handle(req, res));
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve));
    this.#url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this.#url;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }

  /** GitHub's paging: `per_page` (default 30, at most 100) and `page`, with a Link header to the next page. */
  paged<T>(items: T[], req: FakeRequest, path: string): { items: T[]; headers: Record<string, string> } {
    const perPage = Math.min(100, Number(req.query.get('per_page') ?? 30));
    const page = Number(req.query.get('page') ?? 1);
    const slice = items.slice((page - 1) * perPage, page * perPage);
    if (page * perPage >= items.length) return { items: slice, headers: {} };
    const next = new URLSearchParams(req.query);
    next.set('page', String(page + 1));
    return { items: slice, headers: { link: `<${this.#url}${path}?${next.toString()}>; rel="next"` } };
  }

  #listCheckRuns(req: FakeRequest): FakeResponse {
    const { owner, repo, ref } = req.params;
    const runs = this.checkRuns.get(`${owner}/${repo}@${ref}`);
    if (!runs) return error(422, `No commit found for SHA: ${ref}`);
    const name = req.query.get('check_name');
    const status = req.query.get('status');
    let selected = runs.filter((r) => (!name || r.name === name) && (!status || r.status === status));
    if ((req.query.get('filter') ?? 'latest') === 'latest') {
      selected = selected.filter((r) => !selected.some((other) => other.name === r.name && other.id > r.id));
    }
    const { items, headers } = this.paged(selected, req, `/repos/${owner}/${repo}/commits/${ref}/check-runs`);
    return { status: 200, body: { total_count: selected.length, check_runs: items }, headers };
  }

  async #handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.#url);
    this.requests.push(`${req.method} ${url.pathname}${url.search}`);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const send = ({ status, body, headers = {} }: FakeResponse): void => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(body === undefined ? '' : JSON.stringify(body));
    };
    const auth = req.headers.authorization ?? '';
    if (auth !== `token ${this.token}` && auth !== `Bearer ${this.token}`) return send(error(401, 'Bad credentials'));
    for (const route of this.#routes) {
      const match = route.method === req.method ? route.pattern.exec(url.pathname) : null;
      if (!match) continue;
      const params = Object.fromEntries(Object.entries(match.groups ?? {}).map(([k, v]) => [k, decodeURIComponent(v)]));
      if (params.owner && params.repo && !this.repositories.has(`${params.owner}/${params.repo}`)) return send(error(404, 'Not Found'));
      return send(route.handler({ method: req.method!, params, query: url.searchParams, body: raw ? JSON.parse(raw) : undefined }));
    }
    send(error(404, 'Not Found'));
  }
}
