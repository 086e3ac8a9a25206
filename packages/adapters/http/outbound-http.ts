import { setTimeout as sleep } from 'node:timers/promises';
import { getProxyUrl, HttpClient } from '@actions/http-client';
import { fetch, type Dispatcher, type RequestInit, type Response } from 'undici';

/**
 * The one client for outbound HTTP (registries, GitHub through Octokit, Prometheus); health probes of
 * the user's own service are not outbound and keep their own. It is undici's fetch with the proxy
 * that @actions/http-client chooses: HTTPS_PROXY/https_proxy or HTTP_PROXY/http_proxy by scheme,
 * NO_PROXY/no_proxy, loopback never proxied, the rules Octokit and tool-cache follow in the toolkit.
 * An idempotent request is retried with backoff on 429, 5xx and broken connections, waiting what
 * Retry-After asks when it asks a bounded time; each attempt has a deadline.
 */
export type HttpResponse = Response;
export type HttpRequestInit = Omit<RequestInit, 'dispatcher'>;

export interface OutboundOptions {
  /** Deadline of one attempt, answer headers and body together. Default 30 s. */
  timeoutMs?: number;
  /** Retries after the first attempt. Default 3. */
  retries?: number;
  /** First backoff; doubles each retry. Default 500 ms. */
  backoffMs?: number;
  /** The longest Retry-After honoured; a longer one ends the retries with that answer. Default 30 s. */
  maxRetryAfterMs?: number;
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
const RETRY_STATUSES = new Set([429, 500, 502, 503, 504]);
const RETRY_ERRORS = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);

/** One @actions/http-client per proxy URL, so each proxy's agent (and its connections) is reused. */
const proxyClients = new Map<string, HttpClient>();

/** A proxy agent when the environment names a proxy for the URL, else undefined (undici's own dispatcher). */
export function dispatcherFor(url: string): Dispatcher | undefined {
  const proxy = getProxyUrl(url);
  if (!proxy) return undefined;
  let client = proxyClients.get(proxy);
  if (!client) {
    client = new HttpClient('sidhe-devops', [], { keepAlive: true });
    proxyClients.set(proxy, client);
  }
  return client.getAgentDispatcher(url);
}

/** Retry-After in ms (delta-seconds or an HTTP date); undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  if (/^\s*\d+\s*$/.test(header)) return Number(header) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function errorCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: string } }).cause;
  return cause?.code ?? (error as { code?: string }).code;
}

/** Waits between attempts; the caller's signal (an overall deadline) ends the wait with its reason. */
async function pause(ms: number, signal: AbortSignal | null | undefined): Promise<void> {
  if (!signal) return sleep(ms);
  await sleep(ms, undefined, { signal }).catch(() => {
    throw signal.reason;
  });
}

/** fetch through the environment's proxy, with retries and a deadline per attempt. */
export async function outboundFetch(url: string | URL, init: HttpRequestInit = {}, options: OutboundOptions = {}): Promise<HttpResponse> {
  const href = String(url);
  const method = (init.method ?? 'GET').toUpperCase();
  const retries = IDEMPOTENT.has(method) ? (options.retries ?? 3) : 0;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const backoffMs = options.backoffMs ?? 500;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 30_000;
  for (let attempt = 0; ; attempt++) {
    const signal = init.signal ? AbortSignal.any([init.signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs);
    const dispatcher = dispatcherFor(href);
    let response: HttpResponse;
    try {
      response = await fetch(href, { ...init, signal, ...(dispatcher ? { dispatcher } : {}) });
    } catch (error) {
      if (attempt >= retries || signal.aborted || !RETRY_ERRORS.has(errorCode(error) ?? '')) throw error;
      await pause(backoffMs * 2 ** attempt, init.signal);
      continue;
    }
    if (attempt >= retries || !RETRY_STATUSES.has(response.status)) return response;
    const asked = retryAfterMs(response.headers.get('retry-after'));
    if (asked !== undefined && asked > maxRetryAfterMs) return response;
    await response.body?.cancel().catch(() => undefined);
    await pause(asked ?? backoffMs * 2 ** attempt, init.signal);
  }
}
