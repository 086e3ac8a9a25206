/**
 * Reading the master's log (ssh -E, debug level): what went wrong in its own words, and the host key
 * the server offered, which ssh prints only at debug level.
 */

/** The lines ssh wrote as errors, not debug chatter. */
export function errorLines(log: string): string[] {
  return log
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !/^debug\d:/.test(line) && !/^(Warning: Permanently added|Transferred:|Authenticated to)/.test(line));
}

/** The last error in the log, on one line, or `fallback`. */
export function lastError(log: string, fallback: string): string {
  const lines = errorLines(log);
  return lines.at(-1) ?? fallback;
}

/** `ED25519 SHA256:...` from `debug1: Server host key: ssh-ed25519 SHA256:...`. */
export function offeredHostKey(log: string): string | undefined {
  const match = /Server host key: (\S+) (SHA256:\S+)/.exec(log);
  if (!match) return undefined;
  const type = match[1]!
    .replace(/^ssh-/, '')
    .replace(/^ecdsa-sha2-.*/, 'ECDSA')
    .toUpperCase();
  return `${type} ${match[2]}`;
}

export type MasterFailure = 'host-key' | 'auth' | 'unreachable' | 'other';

export function classifyFailure(log: string): MasterFailure {
  if (/Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED|host key is known for .* requested strict checking/i.test(log)) return 'host-key';
  if (/Permission denied|Too many authentication failures|Load key .*: (invalid format|error in libcrypto)/i.test(log)) return 'auth';
  if (/connect to host .*: |Connection timed out|Connection refused|No route to host|Could not resolve hostname/i.test(log)) return 'unreachable';
  return 'other';
}
