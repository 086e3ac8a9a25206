import http from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import type { ProbePlan, Sample } from '../../core/health/index.ts';
import { describeError } from './describe-error.ts';

const USER_AGENT = 'sidhe-devops-health-check';

export interface HttpProbe {
  /**
   * Sends the plan's samples one after another. Sequential on purpose: one request in flight per
   * target is what a well-behaved client sends, so the latency measured is the service's, not a
   * queue we built; it reuses one keep-alive connection per target (1000 requests a round over 200
   * sockets, not 1000); and samples spread across the round catch a target that flaps within it.
   * The round still takes only as long as the slowest target, because targets run concurrently.
   */
  probe(plan: ProbePlan & { kind: 'http' }): Promise<Sample[]>;
  /** Closes the kept-alive connections. */
  close(): void;
}

export function createHttpProbe(): HttpProbe {
  const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
  return {
    async probe(plan) {
      const url = new URL(plan.url);
      const agent = url.protocol === 'https:' ? agents.https : agents.http;
      const end = performance.now() + plan.budgetMs;
      const samples: Sample[] = [];
      for (let i = 0; i < plan.samples; i++) {
        const left = end - performance.now();
        samples.push(
          left <= 0
            ? { error: 'not sent: the health-check timeout was reached' }
            : await request(url, agent, Math.min(plan.timeoutMs, left), plan.bodyContains),
        );
      }
      return samples;
    },
    close() {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}

/** One GET on a kept-alive agent, resent once when the socket went stale while idle; shared with the load generator. */
export async function request(url: URL, agent: http.Agent, timeoutMs: number, bodyContains?: string): Promise<Sample> {
  const started = performance.now();
  const attempt = await send(url, agent, timeoutMs, bodyContains);
  // A kept-alive socket the server closed while idle fails at once; Node's documented remedy is one retry.
  if (!attempt.staleSocket) return attempt.sample;
  return (await send(url, agent, Math.max(1, timeoutMs - (performance.now() - started)), bodyContains)).sample;
}

function send(url: URL, agent: http.Agent, timeoutMs: number, bodyContains?: string): Promise<{ sample: Sample; staleSocket?: boolean }> {
  return new Promise((resolve) => {
    const started = performance.now();
    let settled = false;
    const finish = (sample: Sample, staleSocket = false) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ sample, staleSocket });
    };
    let status: number | undefined;
    const get = url.protocol === 'https:' ? https.get : http.get;
    const req = get(url, { agent, headers: { 'user-agent': USER_AGENT } }, (res) => {
      status = res.statusCode ?? 0;
      const matcher = bodyContains === undefined ? undefined : bodyMatcher(bodyContains);
      if (matcher) {
        res.setEncoding('utf8');
        res.on('data', matcher.feed);
      } else {
        res.resume();
      }
      res.on('end', () => {
        const latencyMs = Math.round((performance.now() - started) * 1000) / 1000;
        finish({ status, latencyMs, ...(matcher ? { bodyMatched: matcher.found() } : {}) });
      });
      res.on('error', (error) => finish({ status, error: describeError(error) }));
      res.on('close', () => finish({ status, error: 'the connection closed before the response ended' }));
    });
    const timer = setTimeout(() => req.destroy(new Error(`timed out after ${Math.round(timeoutMs)}ms`)), timeoutMs);
    req.on('error', (error: NodeJS.ErrnoException) => {
      const stale = status === undefined && req.reusedSocket && error.code === 'ECONNRESET';
      finish({ ...(status === undefined ? {} : { status }), error: describeError(error) }, stale);
    });
  });
}

/** Looks for the text across chunk boundaries without keeping the whole body. */
function bodyMatcher(needle: string) {
  let found = needle === '';
  let tail = '';
  return {
    feed(chunk: string) {
      if (found) return;
      const text = tail + chunk;
      found = text.includes(needle);
      tail = needle.length > 1 ? text.slice(-(needle.length - 1)) : '';
    },
    found: () => found,
  };
}
