import { invalidValue } from '../errors.ts';

/** `registry/repository[:tag][@digest]`, split the way the Docker CLI reads it. */
export interface ImageReference {
  /** Host and port, e.g. `ghcr.io` or `127.0.0.1:15000`; `docker.io` when the reference names none. */
  registry: string;
  /** Path inside the registry, e.g. `acme/shop` (`library/nginx` on Docker Hub). */
  repository: string;
  tag?: string;
  digest?: string;
}

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^sha256:[0-9a-f]{64}$/;
const RULE = 'use [registry/]name[:tag][@sha256:digest] with a lower-case name, e.g. ghcr.io/acme/shop:1.4.2';

/** A first path component is a registry host when it has a dot or a port, or is `localhost`. */
function isRegistryHost(part: string): boolean {
  return part.includes('.') || part.includes(':') || part === 'localhost';
}

/** `acme/shop` on `registry` (the configuration's docker.registry); a name that names its registry is kept. */
export function withDefaultRegistry(name: string, registry: string): string {
  const first = name.trim().split('/')[0] ?? '';
  return name.includes('/') && isRegistryHost(first) ? name.trim() : `${registry}/${name.trim()}`;
}

export function isValidTag(tag: string): boolean {
  return TAG.test(tag);
}

export function parseImageReference(what: string, raw: string): ImageReference {
  const text = raw.trim();
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw invalidValue(what, raw, `the digest must be sha256: and 64 hex digits; ${RULE}`);
  }
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  let tag: string | undefined;
  if (colon > slash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw invalidValue(what, raw, `a tag has up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'; ${RULE}`);
  }
  const parts = rest.split('/');
  let registry = 'docker.io';
  if (parts.length > 1 && isRegistryHost(parts[0]!)) registry = parts.shift()!;
  if (parts.length === 0 || !parts.every((part) => COMPONENT.test(part))) throw invalidValue(what, raw, RULE);
  if (registry === 'docker.io' && parts.length === 1) parts.unshift('library');
  return { registry, repository: parts.join('/'), ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}

/** The name to give docker: `ghcr.io/acme/shop:1.4.2`; Docker Hub names keep their short form. */
export function formatReference(ref: ImageReference): string {
  const name = ref.registry === 'docker.io' ? ref.repository.replace(/^library\//, '') : `${ref.registry}/${ref.repository}`;
  return `${name}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}

/** The reference without tag or digest. */
export function repositoryName(ref: ImageReference): string {
  return formatReference({ registry: ref.registry, repository: ref.repository });
}

/** Checks an image reference input (`image`, rollback's `to`) and returns it trimmed, as docker is to get it. */
export function checkImageReference(what: string, raw: string): string {
  parseImageReference(what, raw);
  return raw.trim();
}

const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/** A registry host as `docker login` takes it: `ghcr.io`, `127.0.0.1:15000`, `[::1]:5000`. */
export function checkRegistryHost(what: string, raw: string): string {
  const text = raw.trim();
  if (!HOST.test(text)) throw invalidValue(what, raw, 'use a registry host name with an optional port, e.g. ghcr.io or registry.internal:5000');
  return text;
}
