import { lookup } from 'node:dns/promises';
import http from 'node:http';
import os from 'node:os';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LocalServers } from '../../../test/support/local-servers.ts';
import { outboundFetch, retryAfterMs } from './outbound-http.ts';
import { startTinyproxy, type ForwardProxy } from './testing/tinyproxy.ts';

const PROXY_VARS = ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'NO_PROXY', 'no_proxy'];
const saved = Object.fromEntries(PROXY_VARS.map((v) => [v, process.env[v]]));
const servers = new LocalServers();
let proxy: ForwardProxy;
/**
 * @actions/http-client never proxies localhost or 127.x, so the server is reached by this machine's
 * own name, which /etc/hosts maps to a loopback address (Debian's convention): the proxy resolves it.
 */
const host = os.hostname();
let base: string;
const seen: string[] = [];
const target = http.createServer((req, res) => {
  seen.push(`${req.method} ${req.url}`);
  res.end(`hello from ${req.url}`);
});

beforeAll(async () => {
  const { address } = await lookup(host, { family: 4 });
  expect(address, `${host} must resolve to a loopback address for this test`).toMatch(/^127\./);
  proxy = await startTinyproxy();
  await new Promise<void>((resolve) => target.listen(0, address, resolve));
  base = `http://${host}:${(target.address() as { port: number }).port}`;
});

afterEach(() => {
  for (const v of PROXY_VARS) {
    if (saved[v] === undefined) delete process.env[v];
    else process.env[v] = saved[v];
  }
});

afterAll(async () => {
  target.closeAllConnections();
  await new Promise((resolve) => target.close(resolve));
  await servers.closeAll();
  await proxy?.stop();
});

describe('outbound HTTP through a real forward proxy', () => {
  for (const variable of ['HTTP_PROXY', 'http_proxy']) {
    it(`goes through the proxy ${variable} names`, async () => {
      for (const v of PROXY_VARS) delete process.env[v];
      process.env[variable] = proxy.url;
      const path = `/via-${variable}`;
      const response = await outboundFetch(`${base}${path}`);
      expect(await response.text()).toBe(`hello from ${path}`);
      expect(await proxy.log()).toContain(`${base.replace('http://', '')}`);
      expect(seen).toContain(`GET ${path}`);
    });
  }

  it('bypasses the proxy for a host NO_PROXY names', async () => {
    for (const v of PROXY_VARS) delete process.env[v];
    process.env.HTTP_PROXY = proxy.url;
    process.env.NO_PROXY = `example.com,${host}`;
    const before = await proxy.log();
    const response = await outboundFetch(`${base}/direct`);
    expect(await response.text()).toBe('hello from /direct');
    expect(await proxy.log()).toBe(before);
  });

  it('reports an unreachable proxy as a failed request, not a hang', async () => {
    for (const v of PROXY_VARS) delete process.env[v];
    process.env.HTTP_PROXY = 'http://127.0.0.1:9';
    await expect(outboundFetch(`${base}/nowhere`, {}, { retries: 1, backoffMs: 10, timeoutMs: 5_000 })).rejects.toThrow();
  });
});

describe('outbound HTTP retries and deadlines', () => {
  async function serve(handler: (n: number, req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<{ url: string; count: () => number }> {
    let n = 0;
    const url = await servers.http((req, res) => handler(++n, req, res));
    return { url, count: () => n };
  }

  it('retries a GET answered 503 twice, waiting the Retry-After each asks', async () => {
    const server = await serve((n, _req, res) => {
      if (n <= 2) res.writeHead(503, { 'retry-after': '1' }).end('busy');
      else res.end('ready');
    });
    const started = performance.now();
    const response = await outboundFetch(server.url);
    expect(await response.text()).toBe('ready');
    expect(server.count()).toBe(3);
    expect(performance.now() - started).toBeGreaterThanOrEqual(1_900);
  });

  it('gives the 429 back at once when Retry-After asks longer than the bound', async () => {
    const server = await serve((_n, _req, res) => res.writeHead(429, { 'retry-after': '120' }).end('slow down'));
    const response = await outboundFetch(server.url, {}, { maxRetryAfterMs: 5_000 });
    expect(response.status).toBe(429);
    expect(server.count()).toBe(1);
  });

  it('does not retry a POST', async () => {
    const server = await serve((_n, _req, res) => res.writeHead(503).end());
    const response = await outboundFetch(server.url, { method: 'POST', body: 'x' }, { backoffMs: 10 });
    expect(response.status).toBe(503);
    expect(server.count()).toBe(1);
  });

  it('retries a GET whose connection was reset before any answer', async () => {
    const server = await serve((n, req, res) => {
      if (n === 1) req.socket.destroy();
      else res.end('second try');
    });
    const response = await outboundFetch(server.url, {}, { backoffMs: 10 });
    expect(await response.text()).toBe('second try');
    expect(server.count()).toBe(2);
  });

  it('gives up after the retries, with the last answer', async () => {
    const server = await serve((_n, _req, res) => res.writeHead(502).end());
    const response = await outboundFetch(server.url, {}, { retries: 2, backoffMs: 10 });
    expect(response.status).toBe(502);
    expect(server.count()).toBe(3);
  });

  it('times out an attempt that never answers, without retrying it', async () => {
    const server = await serve(() => undefined);
    const started = performance.now();
    await expect(outboundFetch(server.url, {}, { timeoutMs: 300 })).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(server.count()).toBe(1);
  });

  it('reads Retry-After as seconds or as a date', () => {
    expect(retryAfterMs('3')).toBe(3_000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6_000);
    expect(retryAfterMs('soon')).toBeUndefined();
    expect(retryAfterMs(null)).toBeUndefined();
  });
});
