import type { Observation, PrometheusSeries } from '../../core/health/index.ts';
import { outboundFetch, type HttpResponse } from '../http/outbound-http.ts';
import { describeError } from '../probes/describe-error.ts';

export type PrometheusObservation = Extract<Observation, { kind: 'prometheus' }>;

export interface QueryOptions {
  timeoutMs: number;
  /** Evaluation time in seconds since the epoch, so several queries read one instant. Default: Prometheus's now. */
  time?: number;
}

/**
 * Runs an instant query (`/api/v1/query`). A scalar is one series without labels; a vector is its
 * series; an error from Prometheus (bad PromQL, a timeout on its side) or the network is returned as
 * the observation's error, in Prometheus's own words. Through the outbound client: the proxy
 * variables apply and a 429/5xx or a reset connection is retried within the round's deadline. A user
 * and password in the URL are sent as basic authentication, never as part of the URL.
 */
export async function queryPrometheus(baseUrl: string, query: string, { timeoutMs, time }: QueryOptions): Promise<PrometheusObservation> {
  const url = new URL('api/v1/query', baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  url.searchParams.set('query', query);
  if (time !== undefined) url.searchParams.set('time', time.toFixed(3));
  const headers: Record<string, string> = { accept: 'application/json' };
  if (url.username !== '' || url.password !== '') {
    const credentials = `${decoded(url.username)}:${decoded(url.password)}`;
    headers.authorization = `Basic ${Buffer.from(credentials).toString('base64')}`;
    url.username = '';
    url.password = '';
  }
  let response: HttpResponse;
  let text: string;
  try {
    // The deadline holds for the query as a whole, retries included.
    response = await outboundFetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) }, { timeoutMs });
    text = await response.text();
  } catch (error) {
    const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
    // fetch says only "fetch failed"; the reason (ECONNREFUSED, ...) is its cause.
    const reason = timedOut ? `timed out after ${Math.round(timeoutMs)}ms` : describeError((error as Error).cause ?? error);
    return { kind: 'prometheus', error: `could not query Prometheus at ${url.origin}: ${reason}` };
  }
  return readQueryResponse(response.status, text);
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text; // a stray % is part of the password as written
  }
}

/** Reads the body of an instant query response, success or error. */
export function readQueryResponse(httpStatus: number, body: string): PrometheusObservation {
  let parsed: QueryResponse;
  try {
    parsed = JSON.parse(body) as QueryResponse;
  } catch {
    return { kind: 'prometheus', error: `Prometheus answered HTTP ${httpStatus} with something other than JSON: ${body.slice(0, 200)}` };
  }
  if (parsed.status !== 'success') {
    return { kind: 'prometheus', error: `Prometheus rejected the query: ${parsed.errorType ?? `HTTP ${httpStatus}`}: ${parsed.error ?? 'no reason given'}` };
  }
  const { resultType, result } = parsed.data;
  if (resultType === 'scalar') return { kind: 'prometheus', series: [{ labels: {}, value: (result as [number, string])[1] }] };
  if (resultType === 'vector') {
    const series: PrometheusSeries[] = (result as { metric: Record<string, string>; value: [number, string] }[]).map((s) => ({
      labels: s.metric,
      value: s.value[1],
    }));
    return { kind: 'prometheus', series };
  }
  return { kind: 'prometheus', error: `the query returned a ${resultType}; use one that returns a number or an instant vector` };
}

interface QueryResponse {
  status: 'success' | 'error';
  errorType?: string;
  error?: string;
  data: { resultType: 'scalar' | 'vector' | 'matrix' | 'string'; result: unknown };
}
