import { invalidValue } from '../../core/errors.ts';

const ALLOWED = 'use a redis:// or rediss:// (TLS) URL, e.g. redis://redis.internal:6379 or rediss://:password@redis.internal:6380/0';

/** The URL as written with its password replaced by `***`, fit for a log line or an error message. */
export function maskRedisUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)@/i, (_, scheme: string, userinfo: string) => {
    const colon = userinfo.indexOf(':');
    return colon === -1 ? `${scheme}${userinfo}@` : `${scheme}${userinfo.slice(0, colon)}:***@`;
  });
}

/** The forms of the URL's password that could show up in a log: as written and decoded. */
export function redisUrlSecrets(url: string): string[] {
  let password: string;
  try {
    password = new URL(url).password;
  } catch {
    return [];
  }
  if (!password) return [];
  let decoded = password;
  try {
    decoded = decodeURIComponent(password);
  } catch {
    // A stray % is the password as written.
  }
  return [...new Set([password, decoded])];
}

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
    throw invalidValue(what, maskRedisUrl(value), ALLOWED);
  }
  const db = parsed.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d+$/.test(db)) throw invalidValue(what, maskRedisUrl(value), `${ALLOWED}; the path, if any, is a database number`);
  return value;
}
