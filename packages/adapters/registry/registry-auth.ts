/**
 * Registry authentication as the Distribution spec's token flow describes it: a request answered
 * 401 names, in WWW-Authenticate, either Basic (send the credentials) or Bearer (fetch a token from
 * the realm for the scope it names, with the credentials as Basic auth, then retry with the token).
 */
export interface Challenge {
  scheme: 'basic' | 'bearer';
  params: Record<string, string>;
}

export interface Credentials {
  username: string;
  password: string;
}

/** `Bearer realm="https://auth.example/token",service="registry",scope="repository:a/b:pull"` → its parts. */
export function parseChallenge(header: string | null): Challenge | undefined {
  if (!header) return undefined;
  const match = /^\s*(\w+)\s*(.*)$/s.exec(header);
  if (!match) return undefined;
  const scheme = match[1]!.toLowerCase();
  if (scheme !== 'basic' && scheme !== 'bearer') return undefined;
  const params: Record<string, string> = {};
  for (const [, key, quoted, bare] of match[2]!.matchAll(/([A-Za-z_][\w-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g)) {
    params[key!.toLowerCase()] = quoted !== undefined ? quoted.replace(/\\(.)/g, '$1') : (bare ?? '');
  }
  return { scheme, params };
}

export function basicAuthorization(credentials: Credentials): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
}

/** The URL to ask for a token: the realm with service and scope (scopes may be several, space-separated). */
export function tokenUrl(challenge: Challenge, scopes: readonly string[]): URL {
  const url = new URL(challenge.params.realm ?? '');
  if (challenge.params.service) url.searchParams.set('service', challenge.params.service);
  for (const scope of scopes) url.searchParams.append('scope', scope);
  return url;
}

/** A token endpoint answers `{ token }` or `{ access_token }` (both appear in the wild). */
export function tokenFrom(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { token, access_token: accessToken } = body as { token?: unknown; access_token?: unknown };
  const value = typeof token === 'string' && token !== '' ? token : accessToken;
  return typeof value === 'string' && value !== '' ? value : undefined;
}
