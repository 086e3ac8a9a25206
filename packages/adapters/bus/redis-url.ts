import { invalidValue } from '../../core/errors.ts';
import { maskUrlCredentials } from '../../core/url-credentials.ts';

const ALLOWED = 'use a redis:// or rediss:// (TLS) URL, e.g. redis://redis.internal:6379 or rediss://:password@redis.internal:6380/0';

/** Checks a Redis URL from an input or a configuration key, named by `what`; errors never show its password. */
export function parseRedisUrl(what: string, raw: string): string {
  const value = raw.trim();
  let parsed: URL | undefined;
  try {
    parsed = new URL(value);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') || !parsed.hostname) {
    throw invalidValue(what, maskUrlCredentials(value), ALLOWED);
  }
  const db = parsed.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d+$/.test(db)) throw invalidValue(what, maskUrlCredentials(value), `${ALLOWED}; the path, if any, is a database number`);
  return value;
}
