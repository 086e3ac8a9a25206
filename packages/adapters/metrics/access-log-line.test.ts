import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAccessLogLine } from './access-log-line.ts';

// Written by nginx 1.22 with log_format sidhe_canary: 127.0.0.1:40637 answers (200 or 500),
// 127.0.0.1:42351 and 127.0.0.1:42623 refuse connections; the last two lines had no live server left.
const lines = readFileSync(new URL('fixtures/nginx-1.22-sidhe-canary.log', import.meta.url), 'utf8')
  .trim()
  .split('\n');

describe('parseAccessLogLine', () => {
  it('reads one attempt', () => {
    expect(parseAccessLogLine(lines[2]!)).toEqual({ kind: 'attempts', attempts: [{ address: '127.0.0.1:40637', status: 500, ms: 21 }] });
  });

  it('reads every attempt of a retried request, each with its own status and time', () => {
    expect(parseAccessLogLine(lines[0]!)).toEqual({
      kind: 'attempts',
      attempts: [
        { address: '127.0.0.1:42351', status: 502, ms: 0 },
        { address: '127.0.0.1:40637', status: 200, ms: 32 },
      ],
    });
  });

  it('reads the upstream name nginx writes when no server was left', () => {
    expect(parseAccessLogLine(lines[7]!)).toEqual({ kind: 'attempts', attempts: [{ address: 'app', status: 502, ms: 0 }] });
  });

  it('reads a missing status or time as unknown, and attempts across upstream groups', () => {
    const line = '{"time":"t","upstream":"127.0.0.1:1, 127.0.0.1:2 : 10.0.0.1:80","status":504,"upstream_status":"-, 504 : 200","rt":"-, 1.5 : 0.004"}';
    expect(parseAccessLogLine(line)).toEqual({
      kind: 'attempts',
      attempts: [
        { address: '127.0.0.1:1', status: undefined, ms: undefined },
        { address: '127.0.0.1:2', status: 504, ms: 1500 },
        { address: '10.0.0.1:80', status: 200, ms: 4 },
      ],
    });
  });

  it('reads a request nginx answered itself as no attempt', () => {
    expect(parseAccessLogLine('{"time":"t","upstream":"","status":404,"upstream_status":"","rt":""}')).toEqual({ kind: 'attempts', attempts: [] });
  });

  it('calls a line in another format malformed', () => {
    expect(parseAccessLogLine('127.0.0.1 - - [03/Dec/2026:17:14:08 +0000] "GET / HTTP/1.1" 200 2')).toEqual({ kind: 'malformed' });
    expect(parseAccessLogLine('{"status":200}')).toEqual({ kind: 'malformed' });
  });
});
