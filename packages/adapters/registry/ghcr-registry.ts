import { ActionFailure, ConfigurationError } from '../../core/errors.ts';
import type { ImageRegistry, RegistryImage } from '../../core/images/index.ts';
import { createOctokit, githubError, type Octokit } from '../github/github-client.ts';
import { mapLimit } from '../../core/map-limit.ts';
import type { OciRegistry } from './oci-registry.ts';

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
 * Packages API (`/orgs/{org}/packages/container/{name}/versions`, or `/users/{user}/...`) with
 * Octokit, and each tagged version's labels are read from the registry side. Untagged versions (an
 * index's children, attestations) are left alone.
 */
export class GhcrRegistry implements ImageRegistry {
  readonly #api: string;
  readonly #token: string;
  readonly #oci: OciRegistry;
  readonly #concurrency: number;
  /** `orgs` or `users`, once known for an owner. */
  readonly #ownerKind = new Map<string, 'orgs' | 'users'>();
  #octokit: Promise<Octokit> | undefined;
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
    const { kind, owner, name } = await this.#package(repository);
    const versions = await this.#call(`listing the versions of ${repository}`, async (octokit) => {
      const scope = { package_type: 'container', package_name: name, per_page: 100 } as const;
      const list: PackageVersion[] =
        kind === 'orgs'
          ? await octokit.paginate('GET /orgs/{org}/packages/{package_type}/{package_name}/versions', { ...scope, org: owner })
          : await octokit.paginate('GET /users/{username}/packages/{package_type}/{package_name}/versions', { ...scope, username: owner });
      return list;
    });
    const tagged = versions.filter((v) => (v.metadata?.container?.tags ?? []).length > 0);
    return mapLimit(tagged, this.#concurrency, async (version) => {
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
  }

  async deleteImage(repository: string, image: RegistryImage): Promise<void> {
    if (!image.registryId) throw new ActionFailure(`cannot delete ${repository}@${image.digest} from GHCR: no package version id`);
    const { kind, owner, name } = await this.#package(repository);
    const version = { package_type: 'container', package_name: name, package_version_id: Number(image.registryId) } as const;
    await this.#call(`deleting version ${image.registryId} (${image.digest}) of ${repository}`, (octokit) =>
      kind === 'orgs'
        ? octokit.request('DELETE /orgs/{org}/packages/{package_type}/{package_name}/versions/{package_version_id}', { ...version, org: owner })
        : octokit.request('DELETE /users/{username}/packages/{package_type}/{package_name}/versions/{package_version_id}', { ...version, username: owner }),
    );
  }

  /** `acme/team/shop` → owner `acme`, package `team/shop`, under orgs/ or, when orgs/ does not know the owner, users/. */
  async #package(repository: string): Promise<{ kind: 'orgs' | 'users'; owner: string; name: string }> {
    const [owner, ...rest] = repository.split('/');
    if (!owner || rest.length === 0) throw new ConfigurationError(`image ghcr.io/${repository}: GHCR images are named ghcr.io/<owner>/<package>`);
    const name = rest.join('/');
    let kind = this.#ownerKind.get(owner);
    if (!kind) {
      const found = await this.#call(`looking up package ${repository}`, (octokit) =>
        octokit.request('GET /orgs/{org}/packages/{package_type}/{package_name}', { org: owner, package_type: 'container', package_name: name }).then(
          () => true,
          (error: unknown) => {
            if (githubError(error).status === 404) return false;
            throw error;
          },
        ),
      );
      kind = found ? 'orgs' : 'users';
      this.#ownerKind.set(owner, kind);
    }
    return { kind, owner, name };
  }

  async #call<T>(what: string, call: (octokit: Octokit) => Promise<T>): Promise<T> {
    this.#octokit ??= createOctokit(this.#token, this.#api).then((octokit) => {
      octokit.hook.before('request', () => void (this.#requests += 1));
      return octokit;
    });
    try {
      return await call(await this.#octokit);
    } catch (error) {
      const { status, message } = githubError(error);
      // Octokit reports a request that got no answer as status 500 without a response.
      if (status === undefined || (error as { response?: unknown }).response === undefined)
        throw new ActionFailure(`GitHub's API at ${this.#api} is unreachable (${what}): ${message}`);
      if (status === 401)
        throw new ConfigurationError(
          `GitHub refused the token given as password (HTTP 401 while ${what}: ${message}); it needs read:packages and delete:packages`,
        );
      if (status === 403)
        throw new ActionFailure(`GitHub denied ${what} (HTTP 403: ${message}); the token needs delete:packages and admin rights on the package`);
      throw new ActionFailure(`GitHub answered HTTP ${status} while ${what}${message ? `: ${message}` : ''}`);
    }
  }
}
