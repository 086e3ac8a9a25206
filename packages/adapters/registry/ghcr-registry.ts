import { ActionFailure, ConfigurationError } from '../../core/errors.ts';
import type { ImageRegistry, RegistryImage } from '../../core/images/index.ts';
import { describeError } from '../probes/describe-error.ts';
import { mapLimit } from '../../core/map-limit.ts';
import { nextPage, type OciRegistry } from './oci-registry.ts';

export interface GhcrRegistryOptions {
  /** GitHub's REST API, e.g. `https://api.github.com` (GITHUB_API_URL on GitHub Enterprise). */
  apiUrl: string;
  /** A token that may read and delete the package (`packages: write` and `delete:packages`). */
  token: string;
  /** The registry side of ghcr.io, for each version's labels and build time. */
  oci: OciRegistry;
  concurrency?: number;
}

/** A package version as GitHub's Packages API lists it (only the fields we read). */
interface PackageVersion {
  id: number;
  /** The manifest digest. */
  name: string;
  created_at: string;
  metadata?: { container?: { tags?: string[] } };
}

/**
 * GHCR: its registry side cannot delete, so versions are listed and deleted through GitHub's
 * Packages API (`/orgs/{org}/packages/container/{name}/versions`, or `/users/{user}/...`), and each
 * tagged version's labels are read from the registry side. Untagged versions (an index's children,
 * attestations) are left alone.
 */
export class GhcrRegistry implements ImageRegistry {
  readonly #api: string;
  readonly #token: string;
  readonly #oci: OciRegistry;
  readonly #concurrency: number;
  /** `orgs` or `users`, once known for an owner. */
  readonly #ownerKind = new Map<string, 'orgs' | 'users'>();
  #requests = 0;

  constructor(options: GhcrRegistryOptions) {
    this.#api = options.apiUrl.replace(/\/+$/, '');
    this.#token = options.token;
    this.#oci = options.oci;
    this.#concurrency = options.concurrency ?? 8;
  }

  get requests(): number {
    return this.#requests + this.#oci.requests;
  }

  describe(): string {
    return `GitHub Packages (${this.#api}) for ${this.#oci.describe()}`;
  }

  async listImages(repository: string): Promise<RegistryImage[]> {
    const versions: PackageVersion[] = [];
    let url: string | undefined = `${await this.#packageUrl(repository)}/versions?per_page=100`;
    while (url) {
      const response = await this.#call('GET', url, `listing the versions of ${repository}`);
      versions.push(...((await response.json()) as PackageVersion[]));
      const next = nextPage(response.headers.get('link'));
      url = next ? new URL(next, this.#api).href : undefined;
    }
    const tagged = versions.filter((v) => (v.metadata?.container?.tags ?? []).length > 0);
    const images = await mapLimit(tagged, this.#concurrency, async (version) => {
      const facts = await this.#oci.readImage(repository, version.name);
      const pushed = new Date(version.created_at);
      return {
        digest: version.name,
        tags: [...(version.metadata?.container?.tags ?? [])].sort(),
        labels: facts?.labels ?? {},
        children: facts?.children ?? [],
        ...(facts?.created ? { created: facts.created } : Number.isNaN(pushed.getTime()) ? {} : { created: pushed }),
        registryId: String(version.id),
      };
    });
    return images;
  }

  async deleteImage(repository: string, image: RegistryImage): Promise<void> {
    if (!image.registryId) throw new ActionFailure(`cannot delete ${repository}@${image.digest} from GHCR: no package version id`);
    await this.#call('DELETE', `${await this.#packageUrl(repository)}/versions/${image.registryId}`, `deleting version ${image.registryId} (${image.digest}) of ${repository}`);
  }

  /** `acme/team/shop` → `.../orgs/acme/packages/container/team%2Fshop`, trying users/ when orgs/ does not know the owner. */
  async #packageUrl(repository: string): Promise<string> {
    const [owner, ...rest] = repository.split('/');
    if (!owner || rest.length === 0) throw new ConfigurationError(`image ghcr.io/${repository}: GHCR images are named ghcr.io/<owner>/<package>`);
    const name = encodeURIComponent(rest.join('/'));
    const url = (kind: 'orgs' | 'users') => `${this.#api}/${kind}/${owner}/packages/container/${name}`;
    const known = this.#ownerKind.get(owner);
    if (known) return url(known);
    const probe = await this.#call('GET', url('orgs'), `looking up package ${repository}`, [404]);
    const kind = probe.status === 404 ? 'users' : 'orgs';
    this.#ownerKind.set(owner, kind);
    return url(kind);
  }

  async #call(method: string, url: string, what: string, allow: number[] = []): Promise<Response> {
    this.#requests += 1;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: { authorization: `Bearer ${this.#token}`, accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28' },
        signal: AbortSignal.timeout(30_000),
      });
    } catch (error) {
      throw new ActionFailure(`GitHub's API at ${this.#api} is unreachable (${what}): ${describeError(error instanceof Error && error.cause ? error.cause : error)}`);
    }
    if (response.ok || allow.includes(response.status)) return response;
    const message = await response
      .json()
      .then((body) => (body as { message?: string }).message ?? '')
      .catch(() => '');
    if (response.status === 401) throw new ConfigurationError(`GitHub refused the token given as password (HTTP 401 while ${what}: ${message}); it needs read:packages and delete:packages`);
    if (response.status === 403) throw new ActionFailure(`GitHub denied ${what} (HTTP 403: ${message}); the token needs delete:packages and admin rights on the package`);
    throw new ActionFailure(`GitHub answered HTTP ${response.status} while ${what}${message ? `: ${message}` : ''}`);
  }
}
