import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseStat } from '../routers/haproxy-answers.ts';
import { counterDeltas } from './counter-deltas.ts';
import { serverCounters, windowFromCounters } from './haproxy-stat-counters.ts';

// `show stat app 4 -1` written by HAProxy 2.6 after three requests to each server: `ok` answered 200,
// `fail` 500, `closer` closed each connection unanswered (two of them on reused client connections),
// `midbody` cut each 200 mid-body, `refused` refused the connection (3 retries, then 503).
const rows = parseStat(readFileSync(new URL('fixtures/haproxy-2.6-show-stat-servers.csv', import.meta.url), 'utf8'));
const row = (name: string) => rows.find((candidate) => candidate.svname === name)!;
const fromStart = (name: string) => windowFromCounters(counterDeltas(undefined, serverCounters(row(name))), row(name).rtime);

describe('HAProxy show stat as a canary window', () => {
  it('counts answers, 5xx and failures once per request', () => {
    expect(fromStart('ok')).toEqual({ requests: 3, errors: 0, latency: { kind: 'summary', meanMs: 4 } });
    expect(fromStart('fail')).toEqual({ requests: 3, errors: 3, latency: { kind: 'summary', meanMs: 2 } });
    // The 200s cut mid-body are in hrsp_2xx and eresp both: three requests, three errors.
    expect(fromStart('midbody')).toMatchObject({ requests: 3, errors: 3 });
    // Three connection attempts and retries (stot 4, wretr 3) were one request that failed.
    expect(fromStart('refused')).toEqual({ requests: 1, errors: 1, latency: { kind: 'none' } });
    // HAProxy closed two reused client connections silently for the client to resend: one counted.
    expect(fromStart('closer')).toEqual({ requests: 1, errors: 1, latency: { kind: 'none' } });
  });

  it('reads an empty column as zero', () => {
    expect(serverCounters({ hrsp_2xx: '', econ: '7' })).toMatchObject({ hrsp_2xx: 0, econ: 7 });
  });
});

describe('counterDeltas', () => {
  it('returns the increments since the previous read', () => {
    expect(counterDeltas({ a: 10, b: 2 }, { a: 15, b: 2 })).toEqual({ a: 5, b: 0 });
  });

  it('takes the new values as increments when any counter went backwards (a restart)', () => {
    expect(counterDeltas({ a: 10, b: 2 }, { a: 3, b: 4 })).toEqual({ a: 3, b: 4 });
  });

  it('counts a counter that did not exist before from zero', () => {
    expect(counterDeltas({ a: 10 }, { a: 12, b: 4 })).toEqual({ a: 2, b: 4 });
    expect(counterDeltas(undefined, { a: 12 })).toEqual({ a: 12 });
  });
});
