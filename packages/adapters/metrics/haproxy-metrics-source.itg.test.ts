import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHaproxy, type HaproxyProcess } from '../../../test/support/haproxy-process.ts';
import { LocalServers } from '../../../test/support/local-servers.ts';
import { createRouter } from '../routers/create-router.ts';
import { parseHaproxyEndpoint } from '../routers/haproxy-endpoint.ts';
import { countResponses, get } from '../routers/testing/keep-alive-load.ts';
import { HaproxyMetricsSource } from './haproxy-metrics-source.ts';

const servers = new LocalServers();
let haproxy: HaproxyProcess;
/** What each backend itself answered: the truth the counters are checked against. */
const answered = { blue: { requests: 0, errors: 0 }, green: { requests: 0, errors: 0 } };

beforeAll(async () => {
  const blue = await servers.http((_req, res) => {
    answered.blue.requests++;
    res.end('blue');
  });
  // green answers 500 to every fourth request.
  const green = await servers.http((_req, res) => {
    const failing = ++answered.green.requests % 4 === 0;
    if (failing) answered.green.errors++;
    res.writeHead(failing ? 500 : 200).end('green');
  });
  // baseline accepts connections and closes them unanswered: response errors.
  const baseline = await servers.listen(createServer((socket) => socket.on('data', () => socket.destroy())));
  haproxy = await startHaproxy({ servers: [{ name: 'blue' }, { name: 'green' }, { name: 'baseline' }] });
  const router = createRouter('haproxy', haproxy.endpoint, 'app', { servingTimeoutMs: 5_000 });
  await router.apply({
    slots: {
      blue: { address: blue.replace('http://', ''), weight: 50 },
      green: { address: green.replace('http://', ''), weight: 50 },
      baseline: { address: `127.0.0.1:${baseline}`, weight: 0 },
    },
  });
});

afterAll(async () => {
  await haproxy?.stop();
  await servers.closeAll();
});

const open = () => HaproxyMetricsSource.open(parseHaproxyEndpoint(haproxy.endpoint), 'app', ['blue', 'green', 'baseline']);
const snapshot = () => structuredClone(answered);
const since = (before: typeof answered, slot: 'blue' | 'green') => ({
  requests: answered[slot].requests - before[slot].requests,
  errors: answered[slot].errors - before[slot].errors,
});

describe('HAProxy counters as canary metrics', () => {
  it('reports exactly what each slot answered since the previous read, and only that', async () => {
    await countResponses(haproxy.url, 20); // traffic before the source opens is not in its windows
    const source = await open();
    const before = snapshot();
    const sent = await countResponses(haproxy.url, 200);
    const first = await source.read();
    expect(since(before, 'blue').requests + since(before, 'green').requests).toBe(200);
    expect(first.slots.blue).toMatchObject(since(before, 'blue'));
    expect(first.slots.green).toMatchObject(since(before, 'green'));
    expect(first.slots.green!.errors).toBe(sent['status 500']);
    expect(first.slots.baseline).toEqual({ requests: 0, errors: 0, latency: { kind: 'none' } });
    expect(first.slots.blue!.latency).toMatchObject({ kind: 'summary', meanMs: expect.any(Number) });

    const middle = snapshot();
    await countResponses(haproxy.url, 40);
    const second = await source.read();
    expect(second.slots.blue).toMatchObject(since(middle, 'blue'));
    expect(second.slots.green).toMatchObject(since(middle, 'green'));
    expect(second.slots.blue!.requests + second.slots.green!.requests).toBe(40);
    expect((await source.read()).slots.green).toMatchObject({ requests: 0, errors: 0, latency: { kind: 'none' } });
  });

  it('counts a request the server closed unanswered as an error of that slot', async () => {
    const source = await open();
    await createRouter('haproxy', haproxy.endpoint, 'app').apply({ slots: { blue: { weight: 0 }, green: { weight: 0 }, baseline: { weight: 100 } } });
    try {
      const statuses = [];
      for (let index = 0; index < 5; index++) statuses.push((await get(haproxy.url, false)).status);
      expect(statuses).toEqual([502, 502, 502, 502, 502]);
      expect((await source.read()).slots.baseline).toEqual({ requests: 5, errors: 5, latency: { kind: 'none' } });
    } finally {
      await createRouter('haproxy', haproxy.endpoint, 'app').apply({ slots: { blue: { weight: 50 }, green: { weight: 50 }, baseline: { weight: 0 } } });
    }
  });

  it('takes counters that went backwards (HAProxy restarted) as counting from zero', async () => {
    const source = await open();
    await countResponses(haproxy.url, 100);
    await source.read();
    await haproxy.restart();
    const before = snapshot();
    await countResponses(haproxy.url, 10);
    const after = await source.read();
    expect(after.slots.blue).toMatchObject(since(before, 'blue'));
    expect(after.slots.green).toMatchObject(since(before, 'green'));
    expect(after.slots.blue!.requests + after.slots.green!.requests).toBe(10);
  });

  it('refuses a slot the backend does not declare', async () => {
    await expect(HaproxyMetricsSource.open(parseHaproxyEndpoint(haproxy.endpoint), 'app', ['blue', 'purple'])).rejects.toThrow(
      `HAProxy counters of backend app via ${haproxy.endpoint}: no server purple to read metrics of; backend app declares blue, green, baseline`,
    );
    await expect(HaproxyMetricsSource.open(parseHaproxyEndpoint(haproxy.endpoint), 'shop', ['blue'])).rejects.toThrow(
      'HAProxy has no backend "shop"; name the backend that routes this service',
    );
  });
});
