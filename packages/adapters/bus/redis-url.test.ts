import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../core/errors.ts';
import { parseRedisUrl } from './redis-url.ts';

describe('Redis URLs', () => {
  it('accepts redis:// and rediss:// URLs, with a database number', () => {
    expect(parseRedisUrl('events-redis-url', ' redis://127.0.0.1:6379 ')).toBe('redis://127.0.0.1:6379');
    expect(parseRedisUrl('events-redis-url', 'rediss://:pw@redis.internal:6380/2')).toBe('rediss://:pw@redis.internal:6380/2');
    expect(parseRedisUrl('events-redis-url', 'redis://[::1]:6379')).toBe('redis://[::1]:6379');
  });

  it('refuses anything else, naming the input and never the password', () => {
    for (const bad of [
      'http://:s3cret@redis:6379',
      'redis.internal:6379',
      'redis://',
      'redis://:s3cret@h/db',
      'redis://:s3cret/#?@h/db',
      'ftp://u:s3cret?#@h',
    ]) {
      let error: unknown;
      try {
        parseRedisUrl('events-redis-url', bad);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ConfigurationError);
      expect((error as Error).message).toMatch(/^events-redis-url: ".*" is not valid; use a redis:\/\/ or rediss:\/\/ \(TLS\) URL/);
      expect((error as Error).message).not.toContain('s3cret');
    }
  });
});
