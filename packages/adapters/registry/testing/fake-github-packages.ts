/**
 * A FAKE of the few GitHub Packages API endpoints GhcrRegistry calls, for tests only; nothing here
 * talks to GitHub. It serves, for container packages:
 *   GET    /orgs/{org}/packages/container/{name}                 (and /users/{user}/...)
 *   GET    /orgs/{org}/packages/container/{name}/versions?per_page=&page=   (Link rel="next" paging)
 *   DELETE /orgs/{org}/packages/container/{name}/versions/{id}   → 204
 * with GitHub's shapes for a version ({ id, name: digest, created_at, metadata.container.tags }),
 * `401 {"message":"Bad credentials"}` for a wrong token and `404 {"message":"Package not found."}`.
 * Every request is logged so a test can assert what was called.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeVersion {
  id: number;
  name: string;
  created_at: string;
  metadata: { package_type: 'container'; container: { tags: string[] } };
}

export interface FakePackage {
  ownerKind: 'orgs' | 'users';
  owner: string;
  name: string;
  versions: FakeVersion[];
}

export class FakeGitHubPackages {
  readonly requests: string[] = [];
  #server: http.Server | undefined;
  #url = '';

  readonly token: string;
  readonly packages: FakePackage[];

  constructor(token: string, packages: FakePackage[]) {
    this.token = token;
    this.packages = packages;
  }

  get url(): string {
    return this.#url;
  }

  async start(): Promise<string> {
    this.#server = http.createServer((req, res) => this.#handle(req, res));
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve));
    this.#url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this.#url;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }

  #handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', this.#url);
    this.requests.push(`${req.method} ${url.pathname}${url.search}`);
    const send = (status: number, body?: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(body === undefined ? '' : JSON.stringify(body));
    };
    // GitHub takes both schemes; Octokit sends `token`.
    if (![`Bearer ${this.token}`, `token ${this.token}`].includes(req.headers.authorization ?? '')) return send(401, { message: 'Bad credentials' });
    const match = /^\/(orgs|users)\/([^/]+)\/packages\/container\/([^/]+)(?:\/versions(?:\/(\d+))?)?$/.exec(url.pathname);
    const pkg = match && this.packages.find((p) => p.ownerKind === match[1] && p.owner === match[2] && p.name === decodeURIComponent(match[3]!));
    if (!match || !pkg) return send(404, { message: 'Package not found.' });
    const listing = url.pathname.endsWith('/versions');
    if (req.method === 'GET' && !listing && !match[4]) return send(200, { name: pkg.name, package_type: 'container' });
    if (req.method === 'GET' && listing) {
      const perPage = Number(url.searchParams.get('per_page') ?? 30);
      const page = Number(url.searchParams.get('page') ?? 1);
      const slice = pkg.versions.slice((page - 1) * perPage, page * perPage);
      const more = page * perPage < pkg.versions.length;
      const next = `${this.#url}${url.pathname}?per_page=${perPage}&page=${page + 1}`;
      return send(200, slice, more ? { link: `<${next}>; rel="next"` } : {});
    }
    if (req.method === 'DELETE' && match[4]) {
      const index = pkg.versions.findIndex((v) => v.id === Number(match[4]));
      if (index < 0) return send(404, { message: 'Package version not found.' });
      pkg.versions.splice(index, 1);
      return send(204);
    }
    send(404, { message: 'Not Found' });
  }
}
