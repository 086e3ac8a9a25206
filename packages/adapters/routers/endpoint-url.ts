import { invalidValue, type ConfigurationError } from '../../core/errors.ts';

/**
 * Reads a router endpoint written as a URL (`unix:///run/haproxy/admin.sock?state-file=...`), with
 * the checks both routers share. Errors name the `router-endpoint` input, the value and the form.
 */
export interface EndpointUrl {
  url: URL;
  options: Map<string, string>;
  fail(problem: string): ConfigurationError;
}

export function readEndpointUrl(raw: string, forms: string, options: readonly string[]): EndpointUrl {
  const fail = (problem: string) => invalidValue('router-endpoint', raw, `${problem}; ${forms}`);
  // URL parsing would quietly fold `a/../b` into `b`; a path that climbs is refused instead.
  if (/(^|[/=])\.\.([/&?]|$)/.test(raw)) throw fail("paths must not contain '..'");
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw fail('it is not a URL');
  }
  const given = new Map<string, string>();
  for (const [key, value] of url.searchParams) {
    if (!options.includes(key)) {
      const allowed = options.length === 0 ? 'none' : options.join(', ');
      throw fail(`unknown option "${key}" (options: ${allowed})`);
    }
    if (given.has(key)) throw fail(`option "${key}" is given twice`);
    given.set(key, value);
  }
  return { url, options: given, fail };
}

/** A file path from a URL path or an option: absolute, nothing nginx or HAProxy would misread. */
export function absolutePath(endpoint: EndpointUrl, what: string, path: string): string {
  if (!path.startsWith('/') || /[\s;'"{}]/.test(path)) {
    throw endpoint.fail(`${what} must be an absolute path without spaces, quotes, ';' or braces`);
  }
  return path;
}
