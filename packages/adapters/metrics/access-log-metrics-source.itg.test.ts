import { readFile, rename } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNginx, type NginxProcess } from '../../../test/support/nginx-process.ts';
import { freePort, LocalServers } from '../../../test/support/local-servers.ts';
import { countResponses } from '../routers/testing/keep-alive-load.ts';
import { AccessLogMetricsSource } from './access-log-metrics-source.ts';

const servers = new LocalServers();
let nginx: NginxProcess;
const addresses: Record<string, string> = {};
/** What each backend itself answered: the truth the log is checked against. */
const answered = { blue: { requests: 0, errors: 0 }, green: { requests: 0, errors: 0 } };

beforeAll(async () => {
  addresses.blue = (
    await servers.http((_req, res) => {
      answered.blue.requests++;
      res.end('blue');
    })
  ).replace('http://', '');
  // green takes 100 ms and answers 500 to every fifth request.
  addresses.green = (
    await servers.http((_req, res) => {
      const failing = ++answered.green.requests % 5 === 0;
      if (failing) answered.green.errors++;
      setTimeout(() => res.writeHead(failing ? 500 : 200).end('green'), 100);
    })
  ).replace('http://', '');
  // baseline refuses connections: nginx tries the next server and logs both attempts.
  addresses.baseline = `127.0.0.1:${await freePort()}`;
  nginx = await startNginx({
    servers: [
      { name: 'blue', address: addresses.blue, weight: 50 },
      { name: 'green', address: addresses.green, weight: 50 },
      { name: 'baseline', address: addresses.baseline, weight: 10 },
    ],
    accessLog: true,
  });
});

afterAll(async () => {
  await nginx?.stop();
  await servers.closeAll();
});

const snapshot = () => structuredClone(answered);
const since = (before: typeof answered, slot: 'blue' | 'green') => ({
  requests: answered[slot].requests - before[slot].requests,
  errors: answered[slot].errors - before[slot].errors,
});

/** nginx writes a request's log line as it ends; give the last ones a moment. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 100));

describe('nginx access log as canary metrics', () => {
  it('gives each attempt to its slot, failed attempts as errors, latency samples in ms', async () => {
    const source = await AccessLogMetricsSource.open(nginx.accessLog!, addresses);
    const before = snapshot();
    const sent = await countResponses(nginx.url, 100, 8);
    await settle();
    const first = await source.read();
    expect(first.slots.blue).toMatchObject(since(before, 'blue'));
    expect(first.slots.green).toMatchObject(since(before, 'green'));
    expect(sent['status 500']).toBe(since(before, 'green').errors);
    // The refused baseline was tried at least once, failed every time, and its requests were answered by another slot.
    expect(first.slots.baseline!.requests).toBeGreaterThanOrEqual(1);
    expect(first.slots.baseline).toMatchObject({ errors: first.slots.baseline!.requests, latency: { kind: 'samples', ms: [] } });
    expect(first.slots.blue!.requests + first.slots.green!.requests).toBe(100);

    const greenSamples = first.slots.green!.latency.kind === 'samples' ? first.slots.green!.latency.ms : [];
    expect(greenSamples).toHaveLength(since(before, 'green').requests - since(before, 'green').errors);
    expect(Math.min(...greenSamples)).toBeGreaterThanOrEqual(100);
    const blueSamples = first.slots.blue!.latency.kind === 'samples' ? first.slots.blue!.latency.ms : [];
    expect(blueSamples).toHaveLength(since(before, 'blue').requests);
    // blue answers at once, though in this busy process now and then one waits behind green's timers.
    expect(blueSamples.toSorted((a, b) => a - b)[Math.floor(blueSamples.length / 2)]).toBeLessThan(50);

    // A source opened now starts at the log's end: its first window is the other's second.
    const later = await AccessLogMetricsSource.open(nginx.accessLog!, addresses);
    const middle = snapshot();
    await countResponses(nginx.url, 30);
    await settle();
    const second = await source.read();
    expect(second.slots.blue).toMatchObject(since(middle, 'blue'));
    expect(second.slots.green).toMatchObject(since(middle, 'green'));
    expect(second.slots.blue!.requests + second.slots.green!.requests).toBe(30);
    expect((await later.read()).slots).toEqual(second.slots);
    await Promise.all([source.close(), later.close()]);
  });

  it('follows nginx through a log rotation (rename, then USR1 to reopen)', async () => {
    const source = await AccessLogMetricsSource.open(nginx.accessLog!, addresses);
    const before = snapshot();
    await countResponses(nginx.url, 20);
    await rename(nginx.accessLog!, `${nginx.accessLog}.1`);
    await countResponses(nginx.url, 20); // still written to the renamed file
    await settle();
    const rotated = await source.read();
    process.kill(Number(await readFile(`${nginx.dir}/nginx.pid`, 'utf8')), 'SIGUSR1');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await countResponses(nginx.url, 20); // written to a new file at the old path
    await settle();
    const reopened = await source.read();
    expect(rotated.slots.blue!.requests + rotated.slots.green!.requests).toBe(40);
    expect(reopened.slots.blue!.requests + reopened.slots.green!.requests).toBe(20);
    expect(rotated.slots.green!.errors + reopened.slots.green!.errors).toBe(since(before, 'green').errors);
    await source.close();
  });
});
