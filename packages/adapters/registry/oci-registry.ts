import { createHash } from 'node:crypto';
import { ActionFailure, ConfigurationError } from '../../core/errors.ts';
import type { ImageRegistry, RegistryImage } from '../../core/images/index.ts';
import { outboundFetch, type HttpRequestInit, type HttpResponse } from '../http/outbound-http.ts';
import { describeError } from '../probes/describe-error.ts';
import { mapLimit } from '../../core/map-limit.ts';
import { basicAuthorization, parseChallenge, tokenFrom, tokenUrl, type Credentials } from './registry-auth.ts';

export interface OciRegistryOptions {
  /** `ghcr.io`, `registry.example.com:5000`, `127.0.0.1:15000`; an explicit `http://` or `https://` is kept. */
  host: string;
  credentials?: Credentials;
  /** Requests in flight at once while listing. Default 8. */
  concurrency?: number;
  /** Limit for one request. Default 30 s. */
  timeoutMs?: number;
}

export const MANIFEST_TYPES = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
} as const;
const ACCEPT = Object.values(MANIFEST_TYPES).join(', ');

interface Manifest {
  mediaType?: string;
  config?: { digest?: string };
  manifests?: { digest?: string; annotations?: Record<string, string> }[];
}

interface ImageConfig {
  created?: string;
  config?: { Labels?: Record<string, string> | null };
}

export interface ManifestRead {
  digest: string;
  manifest: Manifest;
}

/** Docker's rule: loopback registries speak plain HTTP; every other one HTTPS. */
export function registryBaseUrl(host: string): string {
  if (/^https?:\/\//.test(host)) return host.replace(/\/+$/, '');
  const name = host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  const loopback = name === 'localhost' || /^127\.\d+\.\d+\.\d+$/.test(name) || name === '::1';
  return `${loopback ? 'http' : 'https'}://${host}`;
}

/**
 * An OCI Distribution registry (Docker's registry, Harbor, ECR, GHCR's registry side, ...): tag
 * list, manifests, config blobs, digest by HEAD, delete by digest; Basic or Bearer token auth.
 */
export class OciRegistry implements ImageRegistry {
  readonly host: string;
  readonly #base: string;
  readonly #credentials: Credentials | undefined;
  readonly #concurrency: number;
  readonly #timeoutMs: number;
  /** Authorization per repository: Basic for every repository, or the last Bearer token it needed. */
  readonly #authorization = new Map<string, string>();
  #basic: string | undefined;
  #requests = 0;

  constructor(options: OciRegistryOptions) {
    this.host = options.host.replace(/^https?:\/\//, '').replace(/\/+$/, '');
    this.#base = registryBaseUrl(options.host);
    this.#credentials = options.credentials;
    this.#concurrency = options.concurrency ?? 8;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
  }

  get requests(): number {
    return this.#requests;
  }

  describe(): string {
    return `registry ${this.host}`;
  }

  /** Every tag of a repository, following the Link header's pages. */
  async listTags(repository: string): Promise<string[]> {
    const tags: string[] = [];
    let path: string | undefined = `/v2/${repository}/tags/list?n=1000`;
    while (path) {
      const response = await this.#request(repository, 'GET', path, { what: `listing the tags of ${repository}` });
      if (response.status === 404) return []; // the repository does not exist (yet)
      const body = (await response.json()) as { tags?: string[] | null };
      tags.push(...(body.tags ?? []));
      path = nextPage(response.headers.get('link'));
    }
    return tags;
  }

  /** The manifest a tag or digest names, with its digest; undefined when there is none. */
  async manifest(repository: string, reference: string): Promise<ManifestRead | undefined> {
    const response = await this.#request(repository, 'GET', `/v2/${repository}/manifests/${reference}`, {
      accept: ACCEPT,
      what: `reading ${repository}:${reference}`,
    });
    if (response.status === 404) return undefined;
    const bytes = Buffer.from(await response.arrayBuffer());
    const digest = response.headers.get('docker-content-digest') ?? `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    return { digest, manifest: JSON.parse(bytes.toString('utf8')) as Manifest };
  }

  /** The digest a tag points at, by HEAD (no manifest body); undefined when the tag does not exist. */
  async headDigest(repository: string, tag: string): Promise<string | undefined> {
    const response = await this.#request(repository, 'HEAD', `/v2/${repository}/manifests/${tag}`, { accept: ACCEPT, what: `reading ${repository}:${tag}` });
    if (response.status === 404) return undefined;
    return response.headers.get('docker-content-digest') ?? undefined;
  }

  async blobJson<T>(repository: string, digest: string): Promise<T | undefined> {
    const response = await this.#request(repository, 'GET', `/v2/${repository}/blobs/${digest}`, { what: `reading blob ${digest} of ${repository}` });
    if (response.status === 404) return undefined;
    return (await response.json()) as T;
  }

  async listImages(repository: string): Promise<RegistryImage[]> {
    const tags = await this.listTags(repository);
    const reads = await mapLimit(tags, this.#concurrency, async (tag) => ({ tag, read: await this.manifest(repository, tag) }));
    const byDigest = new Map<string, { manifest: Manifest; tags: string[] }>();
    for (const { tag, read } of reads) {
      if (!read) continue; // deleted since the tag list was read
      const entry = byDigest.get(read.digest) ?? { manifest: read.manifest, tags: [] };
      entry.tags.push(tag);
      byDigest.set(read.digest, entry);
    }
    const configs = new Map<string, Promise<ImageConfig | undefined>>();
    const configOf = (digest: string) => {
      if (!configs.has(digest)) configs.set(digest, this.blobJson<ImageConfig>(repository, digest));
      return configs.get(digest)!;
    };
    return mapLimit([...byDigest], this.#concurrency, async ([digest, { manifest, tags }]) => ({
      ...(await this.#facts(repository, digest, manifest, configOf)),
      tags: tags.sort(),
    }));
  }

  /** What retention needs of one manifest, read by digest (GHCR lists versions, not tags with configs). */
  async readImage(repository: string, digest: string): Promise<Omit<RegistryImage, 'tags'> | undefined> {
    const read = await this.manifest(repository, digest);
    if (!read) return undefined;
    return this.#facts(repository, digest, read.manifest, (d) => this.blobJson<ImageConfig>(repository, d));
  }

  async #facts(
    repository: string,
    digest: string,
    manifest: Manifest,
    configOf: (digest: string) => Promise<ImageConfig | undefined>,
  ): Promise<Omit<RegistryImage, 'tags'>> {
    const children = (manifest.manifests ?? []).map((m) => m.digest).filter((d): d is string => Boolean(d));
    const config = await this.#configOf(repository, manifest, configOf);
    const created = config?.created ? new Date(config.created) : undefined;
    return {
      digest,
      ...(created && !Number.isNaN(created.getTime()) ? { created } : {}),
      labels: config?.config?.Labels ?? {},
      children,
    };
  }

  /** An image's config; an index's is its first image's (attestations skipped). */
  async #configOf(repository: string, manifest: Manifest, configOf: (digest: string) => Promise<ImageConfig | undefined>): Promise<ImageConfig | undefined> {
    if (manifest.config?.digest) return configOf(manifest.config.digest);
    const first = manifest.manifests?.find((m) => m.digest && m.annotations?.['vnd.docker.reference.type'] !== 'attestation-manifest');
    if (!first?.digest) return undefined;
    const child = await this.manifest(repository, first.digest);
    return child?.manifest.config?.digest ? configOf(child.manifest.config.digest) : undefined;
  }

  async deleteImage(repository: string, image: RegistryImage): Promise<void> {
    await this.deleteManifest(repository, image.digest);
  }

  async deleteManifest(repository: string, digest: string): Promise<void> {
    const response = await this.#request(repository, 'DELETE', `/v2/${repository}/manifests/${digest}`, {
      what: `deleting ${repository}@${digest}`,
      allow: [405],
    });
    if (response.status === 405) {
      throw new ActionFailure(
        `${this.describe()} does not allow deletes (HTTP 405 on DELETE of ${repository}@${digest}); enable them (Docker's registry: storage.delete.enabled: true) or set dry-run`,
      );
    }
  }

  /** GET /v2/: reachable, speaks the Distribution API, and takes our credentials. */
  async check(repository: string): Promise<void> {
    await this.#request(repository, 'GET', `/v2/${repository}/tags/list?n=1`, { what: 'checking access' });
  }

  async #request(repository: string, method: string, path: string, options: { accept?: string; what: string; allow?: number[] }): Promise<HttpResponse> {
    let response = await this.#send(repository, method, path, options);
    if (response.status === 401) {
      await this.#authenticate(repository, response, options.what);
      response = await this.#send(repository, method, path, options);
      if (response.status === 401) throw this.#refused(options.what, response);
    }
    const allowed = response.ok || response.status === 404 || options.allow?.includes(response.status);
    if (!allowed) throw await this.#failure(method, path, options.what, response);
    return response;
  }

  async #send(repository: string, method: string, path: string, options: { accept?: string; what: string }): Promise<HttpResponse> {
    const headers: Record<string, string> = {};
    if (options.accept) headers.accept = options.accept;
    const authorization = this.#authorization.get(repository) ?? this.#basic;
    if (authorization) headers.authorization = authorization;
    return this.#fetch(`${this.#base}${path}`, { method, headers }, options.what);
  }

  async #fetch(url: string, init: HttpRequestInit, what: string): Promise<HttpResponse> {
    this.#requests += 1;
    try {
      return await outboundFetch(url, { ...init, redirect: 'follow' }, { timeoutMs: this.#timeoutMs });
    } catch (error) {
      const cause = error instanceof Error && error.cause ? error.cause : error;
      throw new ActionFailure(`${this.describe()} is unreachable (${what}): ${describeError(cause)}`);
    }
  }

  async #authenticate(repository: string, response: HttpResponse, what: string): Promise<void> {
    const challenge = parseChallenge(response.headers.get('www-authenticate'));
    if (!this.#credentials && challenge?.scheme !== 'bearer') {
      throw new ConfigurationError(`${this.describe()} needs credentials for ${what}: set username and password`);
    }
    if (!challenge || challenge.scheme === 'basic') {
      if (this.#basic) throw this.#refused(what, response);
      this.#basic = basicAuthorization(this.#credentials!);
      return;
    }
    const scope = challenge.params.scope ?? `repository:${repository}:pull`;
    const headers: Record<string, string> = {};
    if (this.#credentials) headers.authorization = basicAuthorization(this.#credentials);
    const tokenResponse = await this.#fetch(tokenUrl(challenge, [scope]).href, { headers }, `a token for ${what}`);
    if (tokenResponse.status === 401 || tokenResponse.status === 403) throw this.#refused(what, tokenResponse);
    const token = tokenResponse.ok ? tokenFrom(await tokenResponse.json().catch(() => undefined)) : undefined;
    if (!token)
      throw new ActionFailure(`${this.describe()}'s token service ${challenge.params.realm} gave no token for ${scope} (HTTP ${tokenResponse.status})`);
    this.#authorization.set(repository, `Bearer ${token}`);
  }

  #refused(what: string, response: HttpResponse): ActionFailure | ConfigurationError {
    if (!this.#credentials) return new ConfigurationError(`${this.describe()} needs credentials for ${what}: set username and password`);
    return new ConfigurationError(
      `${this.describe()} refused the credentials of user ${this.#credentials.username} (HTTP ${response.status} while ${what}); check username and password`,
    );
  }

  async #failure(method: string, path: string, what: string, response: HttpResponse): Promise<ActionFailure> {
    const text = await response.text().catch(() => '');
    let detail = text.slice(0, 200);
    try {
      const body = JSON.parse(text) as { errors?: { code?: string; message?: string }[] };
      if (body.errors?.[0]) detail = `${body.errors[0].code ?? ''} ${body.errors[0].message ?? ''}`.trim();
    } catch {
      // not JSON: keep the text
    }
    if (response.status === 403) {
      const who = this.#credentials ? `user ${this.#credentials.username}` : 'anonymous access';
      return new ActionFailure(`${this.describe()} denied ${what} to ${who} (HTTP 403${detail ? `: ${detail}` : ''})`);
    }
    return new ActionFailure(`${this.describe()} answered HTTP ${response.status} to ${method} ${path} (${what})${detail ? `: ${detail}` : ''}`);
  }
}

/** `</v2/a/tags/list?n=100&last=x>; rel="next"` → the path of the next page. */
export function nextPage(link: string | null): string | undefined {
  const match = link ? /<([^>]+)>\s*;\s*rel="?next"?/.exec(link) : null;
  if (!match) return undefined;
  const target = match[1]!;
  return target.startsWith('http') ? new URL(target).pathname + new URL(target).search : target;
}
