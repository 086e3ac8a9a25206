import http from 'node:http';
import https from 'node:https';
import type { Clock } from '../../core/health/index.ts';
import type { TrafficLoad } from '../../core/strategies/canary-ports.ts';
import { maskUrlCredentials } from '../../core/url-credentials.ts';
import { request } from '../probes/http-probe.ts';
import { startPacedLoad } from './paced-load.ts';

/** An answer slower than this counts as failed, so a hung service cannot hold the in-flight slots. */
const REQUEST_TIMEOUT_MS = 10_000;

/** Up to one second of requests in flight (at least 4, at most 100): enough for a healthy service, bounded for a slow one. */
export function maxInFlight(rate: number): number {
  return Math.min(100, Math.max(4, rate));
}

/**
 * The `load` input: `rate` GET requests a second to `url` (the router's front) while a step is
 * observed, over kept-alive connections, so its answers count in the router's metrics like any
 * request. Answers of any status count as answered: judging them is the metrics' job.
 */
export function createHttpLoad(spec: { rate: number; url: string }, clock: Clock): TrafficLoad {
  const url = new URL(spec.url);
  return {
    describe: () => `${spec.rate}/s GET ${maskUrlCredentials(spec.url)}`,
    start() {
      const limit = maxInFlight(spec.rate);
      const agent =
        url.protocol === 'https:' ? new https.Agent({ keepAlive: true, maxSockets: limit }) : new http.Agent({ keepAlive: true, maxSockets: limit });
      const load = startPacedLoad({
        rate: spec.rate,
        maxInFlight: limit,
        clock,
        send: async () => (await request(url, agent, REQUEST_TIMEOUT_MS)).error === undefined,
      });
      return {
        async stop() {
          const report = await load.stop();
          agent.destroy();
          return report;
        },
      };
    },
  };
}
