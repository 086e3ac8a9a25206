import { describe, expect, it } from 'vitest';
import { maskUrlCredentials, urlCredentials } from './url-credentials.ts';

describe('URL credentials', () => {
  it('masks the password and keeps the user and the rest as written', () => {
    expect(maskUrlCredentials('redis://:s3cret@redis.internal:6379/0')).toBe('redis://:***@redis.internal:6379/0');
    expect(maskUrlCredentials('rediss://events:s3cret@redis.internal:6380')).toBe('rediss://events:***@redis.internal:6380');
    expect(maskUrlCredentials('redis://redis.internal:6379')).toBe('redis://redis.internal:6379');
    expect(maskUrlCredentials('redis://:s3cret@bad host:6379')).toBe('redis://:***@bad host:6379');
  });

  it('masks a user name alone: a token is often given that way', () => {
    expect(maskUrlCredentials('https://ghp_abc123@github.com/acme/shop')).toBe('https://***@github.com/acme/shop');
  });

  it('keeps the account of an ssh:// host: SSH authenticates with keys, so the user is no secret', () => {
    expect(urlCredentials('ssh://deploy@web1.example.com:22\nssh://root@10.0.0.2')).toEqual([]);
    expect(maskUrlCredentials('ssh://deploy@web1.example.com:22')).toBe('ssh://deploy@web1.example.com:22');
    expect(urlCredentials('ssh://deploy:hunter22@web1')).toEqual(['deploy:hunter22', 'hunter22']);
  });

  it('finds passwords holding /, #, ? and @ unencoded, which URL parsers split wrongly', () => {
    for (const password of ['pa/ss', 'pa#ss', 'pa?ss', 'p@ss', 'a/b#c?d@e']) {
      const url = `http://admin:${password}@prometheus.internal:9090/api`;
      expect(urlCredentials(url)).toContain(password);
      expect(maskUrlCredentials(url)).toBe('http://admin:***@prometheus.internal:9090/api');
    }
  });

  it('finds the credentials of every URL in a multi-line input', () => {
    const targets = 'https://u1:one111@a.example/health\ntcp://db:5432\nhttp://u2:two222@b.example/';
    expect(urlCredentials(targets)).toEqual(['u1:one111', 'one111', 'u2:two222', 'two222']);
    expect(urlCredentials('no url here; redis://h:6379')).toEqual([]);
  });
});
