import { describe, expect, it } from 'vitest';
import { nextPage, registryBaseUrl } from './oci-registry.ts';
import { parseChallenge, tokenFrom, tokenUrl } from './registry-auth.ts';

describe('registry auth challenges', () => {
  it('reads a Bearer challenge as Docker Hub and GHCR send it', () => {
    const challenge = parseChallenge('Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:acme/shop:pull"');
    expect(challenge).toEqual({ scheme: 'bearer', params: { realm: 'https://ghcr.io/token', service: 'ghcr.io', scope: 'repository:acme/shop:pull' } });
    expect(tokenUrl(challenge!, ['repository:acme/shop:pull']).href).toBe('https://ghcr.io/token?service=ghcr.io&scope=repository%3Aacme%2Fshop%3Apull');
  });

  it('reads Basic, ignores others, and takes either token field', () => {
    expect(parseChallenge('Basic realm="sidhe-test"')).toEqual({ scheme: 'basic', params: { realm: 'sidhe-test' } });
    expect(parseChallenge('Negotiate abc')).toBeUndefined();
    expect(parseChallenge(null)).toBeUndefined();
    expect(tokenFrom({ access_token: 'a' })).toBe('a');
    expect(tokenFrom({ token: 't', access_token: 'a' })).toBe('t');
    expect(tokenFrom({})).toBeUndefined();
  });
});

describe('registry URLs', () => {
  it('uses plain HTTP on loopback only, as Docker does', () => {
    expect(registryBaseUrl('127.0.0.1:15000')).toBe('http://127.0.0.1:15000');
    expect(registryBaseUrl('localhost:5000')).toBe('http://localhost:5000');
    expect(registryBaseUrl('ghcr.io')).toBe('https://ghcr.io');
    expect(registryBaseUrl('http://registry.internal:5000/')).toBe('http://registry.internal:5000');
  });

  it('follows the Link header to the next page', () => {
    expect(nextPage('</v2/acme/shop/tags/list?last=b&n=2>; rel="next"')).toBe('/v2/acme/shop/tags/list?last=b&n=2');
    expect(nextPage('<https://api.github.com/orgs/a/packages?page=2>; rel="next", <https://x?page=9>; rel="last"')).toBe('/orgs/a/packages?page=2');
    expect(nextPage(null)).toBeUndefined();
  });
});
