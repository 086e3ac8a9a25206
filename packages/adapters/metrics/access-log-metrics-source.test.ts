import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AccessLogMetricsSource } from './access-log-metrics-source.ts';

// The fixture's servers (see access-log-line.test.ts): green answers, blue and baseline refuse.
const ADDRESSES = { blue: '127.0.0.1:42351', green: '127.0.0.1:40637', baseline: '127.0.0.1:42623' };

let dir: string;
let path: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sidhe-access-log-'));
  path = join(dir, 'access.log');
  await writeFile(path, '');
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('AccessLogMetricsSource', () => {
  it('counts every attempt for its slot and samples the latency of those that were not errors', async () => {
    const source = await AccessLogMetricsSource.open(path, ADDRESSES, { now: () => 1_000 });
    await appendFile(path, await readFile(new URL('fixtures/nginx-1.22-sidhe-canary.log', import.meta.url)));
    expect(await source.read()).toEqual({
      atMs: 1_000,
      slots: {
        blue: { requests: 2, errors: 2, latency: { kind: 'samples', ms: [] } },
        green: { requests: 6, errors: 2, latency: { kind: 'samples', ms: [32, 29, 26, 25] } },
        baseline: { requests: 1, errors: 1, latency: { kind: 'samples', ms: [] } },
      },
    });
    expect((await source.read()).slots.green).toEqual({ requests: 0, errors: 0, latency: { kind: 'samples', ms: [] } });
    await source.close();
  });

  it('skips a stray line, and refuses a log with nothing in its format', async () => {
    const source = await AccessLogMetricsSource.open(path, ADDRESSES);
    await appendFile(path, 'garbage\n{"time":"t","upstream":"127.0.0.1:40637","status":200,"upstream_status":"200","rt":"0.002"}\n');
    expect((await source.read()).slots.green).toEqual({ requests: 1, errors: 0, latency: { kind: 'samples', ms: [2] } });
    await appendFile(path, '127.0.0.1 - - [03/Dec/2026:17:14:08 +0000] "GET / HTTP/1.1" 200 2\n');
    await expect(source.read()).rejects.toThrow(
      `nginx access log ${path} has lines that are not in the sidhe_canary format (e.g. "127.0.0.1 - - [03/Dec/2026:17:14:08 +0000] \\"GET / HTTP/1.1\\" 200 2"); ` +
        `write it with log_format sidhe_canary escape=json '{"time":"$time_iso8601","upstream":"$upstream_addr","status":$status,"upstream_status":"$upstream_status","rt":"$upstream_response_time"}'`,
    );
    await source.close();
  });
});
