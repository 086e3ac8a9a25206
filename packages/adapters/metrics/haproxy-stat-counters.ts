import type { VersionWindow } from '../../core/canary/metrics-source.ts';

/**
 * What one server line of HAProxy's `show stat` (HTTP mode) says about a canary window. Every count
 * is an outcome counter, bumped when a request ends, so a request in flight at a read is counted in
 * the window it ends in, never half in one and half in the next. Measured on HAProxy 2.6:
 *
 * - requests = hrsp_1xx..hrsp_5xx + hrsp_other (answers that came from the server)
 *            + econ (connections that failed after every retry) + eresp (no or a broken answer)
 *            + wredis (attempts moved to another server by `option redispatch`)
 *            − srv_abrt (an answer the server cut mid-body is in both hrsp_Nxx and eresp).
 * - errors   = hrsp_5xx + hrsp_other + econ + eresp + wredis: a 5xx, a status HAProxy cannot class,
 *              or no complete answer (an answer cut mid-body is an error though its status said 200).
 * Not used: `stot` counts connection attempts, each retry again (a refused server: 1 request, stot 4,
 * wretr 3), and counts a request when it starts; `wretr` counts retries on the same server, whose
 * request ends as an answer or as econ, already counted. A request on a reused client connection that
 * the server closes without answering is counted nowhere: HAProxy closes the client connection
 * silently so the client resends it, and the resent request is counted.
 *
 * Latency: `rtime`, HAProxy's average response time in ms over the last 1024 answered requests of the
 * server (not only this window's), reported as a mean. HAProxy 2.x keeps no distribution (no
 * histogram or percentiles in `show stat` or `show info`), so percentiles need another source
 * (an access log or Prometheus).
 */
export const STAT_COUNTERS = ['hrsp_1xx', 'hrsp_2xx', 'hrsp_3xx', 'hrsp_4xx', 'hrsp_5xx', 'hrsp_other', 'econ', 'eresp', 'wredis', 'srv_abrt'] as const;
export type StatCounter = (typeof STAT_COUNTERS)[number];
export type ServerCounters = Record<StatCounter, number>;

/** The counters of one `show stat` row; an empty column (not kept for this proxy type) is zero. */
export function serverCounters(row: Record<string, string>): ServerCounters {
  return Object.fromEntries(
    STAT_COUNTERS.map((name) => {
      const value = Number(row[name] ?? '');
      return [name, Number.isFinite(value) && value > 0 ? value : 0];
    }),
  ) as ServerCounters;
}

/** A window from the counters' increments and the row's current `rtime`. */
export function windowFromCounters(delta: ServerCounters, rtime: string | undefined): VersionWindow {
  const answers = delta.hrsp_1xx + delta.hrsp_2xx + delta.hrsp_3xx + delta.hrsp_4xx + delta.hrsp_5xx + delta.hrsp_other;
  const failed = delta.econ + delta.eresp + delta.wredis;
  const requests = Math.max(0, answers + failed - delta.srv_abrt);
  const errors = Math.min(requests, delta.hrsp_5xx + delta.hrsp_other + failed);
  const meanMs = Number(rtime);
  // rtime speaks for older requests too; with nothing answered in the window it says nothing about it.
  const latency: VersionWindow['latency'] =
    answers > 0 && rtime !== undefined && rtime !== '' && Number.isFinite(meanMs) ? { kind: 'summary', meanMs } : { kind: 'none' };
  return { requests, errors, latency };
}
