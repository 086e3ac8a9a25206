/**
 * Reads one line of the nginx access log the canary is judged from. nginx must write it with:
 *
 *   log_format sidhe_canary escape=json '{"time":"$time_iso8601","upstream":"$upstream_addr","status":$status,"upstream_status":"$upstream_status","rt":"$upstream_response_time"}';
 *   access_log /var/log/nginx/sidhe-canary.log sidhe_canary;
 *
 * in the `server` (or `location`) that proxies to the routed upstream. When nginx tries several
 * servers for one request (proxy_next_upstream), it lists every attempt in order:
 * `"upstream":"127.0.0.1:8081, 127.0.0.1:8082","upstream_status":"502, 200","rt":"0.001, 0.004"`;
 * ` : ` separates attempts in different upstream groups (an internal redirect). Each attempt is
 * counted for the server that had it.
 */
export const SIDHE_CANARY_LOG_FORMAT =
  '{"time":"$time_iso8601","upstream":"$upstream_addr","status":$status,"upstream_status":"$upstream_status","rt":"$upstream_response_time"}';

export interface UpstreamAttempt {
  /** `$upstream_addr` of the attempt: `127.0.0.1:8081`, `[::1]:8081`, `unix:/run/app.sock`, or an upstream name when no server was available. */
  address: string;
  /** The server's status; undefined when nginx got none (`-`: the attempt failed before an answer). */
  status: number | undefined;
  /** `$upstream_response_time` of the attempt in ms; undefined when nginx says `-`. */
  ms: number | undefined;
}

export type AccessLogLine = { kind: 'attempts'; attempts: UpstreamAttempt[] } | { kind: 'malformed' };

const SEPARATOR = /\s*,\s*|\s+:\s+/;

export function parseAccessLogLine(line: string): AccessLogLine {
  let entry: unknown;
  try {
    entry = JSON.parse(line);
  } catch {
    return { kind: 'malformed' };
  }
  if (typeof entry !== 'object' || entry === null) return { kind: 'malformed' };
  const { upstream, upstream_status: statuses, rt } = entry as Record<string, unknown>;
  if (typeof upstream !== 'string' || typeof statuses !== 'string' || typeof rt !== 'string') return { kind: 'malformed' };
  // nginx answered by itself (a static file, a redirect, a client gone before proxying): no attempt.
  if (upstream === '' || upstream === '-') return { kind: 'attempts', attempts: [] };
  const addresses = upstream.split(SEPARATOR);
  const codes = statuses.split(SEPARATOR);
  const times = rt.split(SEPARATOR);
  return {
    kind: 'attempts',
    attempts: addresses.map((address, index) => ({ address, status: whole(codes[index]), ms: milliseconds(times[index]) })),
  };
}

function whole(text: string | undefined): number | undefined {
  return text !== undefined && /^\d{3}$/.test(text) ? Number(text) : undefined;
}

function milliseconds(text: string | undefined): number | undefined {
  // nginx writes seconds with millisecond resolution: `0.104`.
  return text !== undefined && /^\d+(\.\d+)?$/.test(text) ? Math.round(Number(text) * 1_000_000) / 1000 : undefined;
}
