import { createHash } from 'node:crypto';

/**
 * 16 hex digits of SHA-256 over the service's environment (`NAME=value` lines, sorted by name), recorded
 * on a release so a changed secret redeploys the same image. It names the whole set, never a value;
 * the empty environment has a fingerprint too, so a release recorded without one reads as "no env".
 */
export function envFingerprint(env: Readonly<Record<string, string>>): string {
  const lines = Object.keys(env)
    .sort()
    .map((name) => `${name}=${env[name]}\n`)
    .join('');
  return createHash('sha256').update(lines).digest('hex').slice(0, 16);
}
