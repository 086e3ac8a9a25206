import http from 'node:http';
import net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, LocalServers, reply } from '../../../test/support/local-servers.ts';
import { parseHealthPlan, runHealthSession, type HealthCheckInputs } from '../../core/health/index.ts';
import { silentLogger } from '../../core/logger.ts';
import { createProber } from './composite-prober.ts';
import { systemClock } from './system-clock.ts';

const servers = new LocalServers();
afterAll(() => servers.closeAll());
const listen = (server: net.Server) => servers.listen(server);
const serve = (handler: http.RequestListener) => servers.http(handler);

const FAST = { timeout: '1s', interval: '50ms', samples: '2' };

async function check(inputs: HealthCheckInputs) {
  const prober = createProber();
  try {
    return await runHealthSession(parseHealthPlan({ ...FAST, ...inputs }), { prober, clock: systemClock, logger: silentLogger });
  } finally {
    prober.close();
  }
}

describe('HTTP targets', () => {
  it('proves a healthy server healthy, with latency figures', async () => {
    const url = `${await serve(reply(200))}/health`;
    const report = await check({ targets: url, maxLatencyP95: '500ms' });
    expect(report).toMatchObject({ healthy: true, overall: { samples: 6, successRate: 100 } });
    expect(report.rounds.map((r) => r.streak)).toEqual([1, 2, 3]);
    expect(report.targets[0]?.latency?.p95).toBeGreaterThan(0);
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('fails a slow server on latency, naming p95 and the threshold', async () => {
    const url = `${await serve(reply(200, 'ok', 120))}/slow`;
    const report = await check({ targets: url, maxLatencyP95: '50ms', timeout: '600ms' });
    expect(report.healthy).toBe(false);
    expect(report.message).toMatch(
      new RegExp(`^${url}: latency p95 \\d+ms exceeds max-latency-p95 50ms \\(round \\d+\\); not healthy for 3 consecutive rounds within timeout 600ms`),
    );
  });

  it('fails a server that flaps, by timeout', async () => {
    let requests = 0;
    const url = await serve((req, res) => reply(++requests % 2 === 0 ? 503 : 200)(req, res));
    const report = await check({ targets: url, samples: '1', timeout: '800ms' });
    expect(report.healthy).toBe(false);
    expect(report.message).toContain('status 503 is outside expected-status 200-399');
    expect(report.message).toMatch(/longest healthy run 1\)$/);
  });

  it('waits out a server that recovers', async () => {
    let requests = 0;
    const url = await serve((req, res) => reply(++requests <= 2 ? 503 : 200)(req, res));
    const report = await check({ targets: url, samples: '1' });
    expect(report.healthy).toBe(true);
    expect(report.rounds.map((r) => r.streak)).toEqual([0, 0, 1, 2, 3]);
  });

  it('fails a 5xx answer, naming status and expected-status', async () => {
    const url = await serve(reply(502, 'bad gateway'));
    const report = await check({ targets: url, timeout: '300ms' });
    expect(report.lastFailures[0]?.message).toBe(
      `${url}: success rate 0% is below min-success-rate 100% (2 of 2 samples failed; last: status 502 is outside expected-status 200-399)`,
    );
    expect(report.targets[0]?.latency).not.toBeNull();
  });

  it('fails a closed port with the connection error', async () => {
    const url = `http://127.0.0.1:${await freePort()}/health`;
    const report = await check({ targets: url, timeout: '300ms' });
    expect(report.lastFailures[0]?.message).toMatch(/samples failed; last: connect ECONNREFUSED 127\.0\.0\.1:\d+\)$/);
    expect(report.targets[0]?.latency).toBeNull();
  });

  it('checks body-contains, across chunk boundaries', async () => {
    const starting = await serve(reply(200, '{"status":"starting"}'));
    const split = await serve((_, res) => {
      res.writeHead(200).write('{"status":"re');
      setTimeout(() => res.end('ady"}'), 20);
    });
    const report = await check({ targets: `${starting}\n${split}`, bodyContains: '"ready"', timeout: '400ms' });
    expect(report.targets.map((t) => t.roundsHealthy)).toEqual([0, report.rounds.length]);
    expect(report.lastFailures.map((f) => f.message)).toEqual([
      `${starting}: success rate 0% is below min-success-rate 100% (2 of 2 samples failed; last: body does not contain "\\"ready\\"" (body-contains))`,
    ]);
  });

  it('gives up on a request at request-timeout, even mid-body', async () => {
    const hangs = await serve((_, res) => void res.writeHead(200).write('partial'));
    const report = await check({ targets: hangs, samples: '1', requestTimeout: '150ms', timeout: '300ms' });
    expect(report.rounds[0]?.targets[0]?.observation).toEqual({ kind: 'http', samples: [{ status: 200, error: 'timed out after 150ms' }] });
  });

  it('keeps one connection alive per target across samples and rounds', async () => {
    const server = http.createServer(reply(200));
    let connections = 0;
    server.on('connection', () => connections++);
    const report = await check({ targets: `http://127.0.0.1:${await listen(server)}/`, samples: '5' });
    expect(report.overall.samples).toBe(15);
    expect(connections).toBe(1);
  });

  it('probes targets concurrently: a round takes about as long as the slowest target', async () => {
    const urls = await Promise.all(Array.from({ length: 50 }, (_, i) => serve(reply(200, 'ok', 50 + i))));
    const report = await check({ targets: urls.join('\n'), samples: '2', requiredSuccesses: '1' });
    expect(report.healthy).toBe(true);
    // Sequentially this would take 50 × 2 × ~75ms, over 7s; concurrently about 2 × 99ms.
    expect(report.rounds[0]!.durationMs).toBeLessThan(800);
  });
});

describe('TCP targets', () => {
  it('passes a listener and fails a closed port', async () => {
    const open = await listen(net.createServer((socket) => socket.end()));
    const closed = await freePort();
    const report = await check({ targets: `tcp://127.0.0.1:${open}\ntcp://127.0.0.1:${closed}`, timeout: '300ms' });
    expect(report.targets.map((t) => [t.roundsHealthy > 0, t.latency !== null])).toEqual([
      [true, true],
      [false, false],
    ]);
    expect(report.lastFailures.map((f) => f.message)).toEqual([
      `tcp://127.0.0.1:${closed}: success rate 0% is below min-success-rate 100% (1 of 1 samples failed; last: connect ECONNREFUSED 127.0.0.1:${closed})`,
    ]);
  });
});
