import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../core/errors.ts';
import { maskRedisUrl, parseRedisUrl, redisUrlSecrets } from './redis-url.ts';

describe('Redis URLs', () => {
  it('masks the password and only the password', () => {
    expect(maskRedisUrl('redis://:s3cret@redis.internal:6379/0')).toBe('redis://:***@redis.internal:6379/0');
    expect(maskRedisUrl('rediss://events:s3cret@redis.internal:6380')).toBe('rediss://events:***@redis.internal:6380');
    expect(maskRedisUrl('redis://redis.internal:6379')).toBe('redis://redis.internal:6379');
    expect(maskRedisUrl('redis://events@redis.internal')).toBe('redis://events@redis.internal');
  });

  it('masks URLs it could not connect to as well, keeping the rest as written', () => {
    expect(maskRedisUrl('redis://:s3cret@bad host:6379')).toBe('redis://:***@bad host:6379');
    expect(maskRedisUrl('http://u:p@ss@redis')).toBe('http://u:***@redis');
  });

  it('gives the password as written and decoded, for the log masker', () => {
    expect(redisUrlSecrets('redis://:p%40ss@h:6379')).toEqual(['p%40ss', 'p@ss']);
    expect(redisUrlSecrets('redis://:plain@h')).toEqual(['plain']);
    expect(redisUrlSecrets('redis://h:6379')).toEqual([]);
    expect(redisUrlSecrets('nonsense')).toEqual([]);
  });

  it('accepts redis:// and rediss:// URLs, with a database number', () => {
    expect(parseRedisUrl('events-redis-url', ' redis://127.0.0.1:6379 ')).toBe('redis://127.0.0.1:6379');
    expect(parseRedisUrl('events-redis-url', 'rediss://:pw@redis.internal:6380/2')).toBe('rediss://:pw@redis.internal:6380/2');
    expect(parseRedisUrl('events-redis-url', 'redis://[::1]:6379')).toBe('redis://[::1]:6379');
  });

  it('refuses anything else, naming the input and never the password', () => {
    for (const bad of ['http://:s3cret@redis:6379', 'redis.internal:6379', 'redis://', 'redis://:s3cret@h/db']) {
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
