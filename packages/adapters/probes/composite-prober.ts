import type { Observation, ProbePlan, Prober } from '../../core/health/index.ts';
import { errorMessage } from '../../core/errors.ts';
import { inspectContainerHealth } from '../docker/container-health.ts';
import { engineApiFromEnv } from '../docker/engine-api.ts';
import { queryPrometheus } from '../metrics/prometheus-query.ts';
import { createHttpProbe, type HttpProbe } from './http-probe.ts';
import { probeTcp } from './tcp-probe.ts';

export interface ProberOptions {
  /** Environment for `docker` (DOCKER_HOST, ...); the process's by default. A unix:// DOCKER_HOST is read through the Engine API. */
  env?: NodeJS.ProcessEnv;
  /** How HTTP targets are probed; a probe from this process by default (a remote host brings its own). */
  http?: HttpProbe;
}

/**
 * The real Prober: every target of a round at once, each by its kind, so a round of 200 targets
 * takes about as long as its slowest target. Call close() when done, to drop kept-alive sockets.
 */
export function createProber(options: ProberOptions = {}): Prober & { close(): void } {
  const http = options.http ?? createHttpProbe();
  const engine = engineApiFromEnv(options.env ?? process.env);
  const probe = async (plan: ProbePlan): Promise<Observation> => {
    switch (plan.kind) {
      case 'http':
        return { kind: 'http', samples: await http.probe(plan) };
      case 'tcp':
        return { kind: 'tcp', samples: await probeTcp(plan) };
      case 'container':
        return inspectContainerHealth(plan.name, { resources: plan.resources ?? false, timeoutMs: plan.timeoutMs, env: options.env, engine });
      case 'prometheus':
        return queryPrometheus(plan.url, plan.query, { timeoutMs: plan.timeoutMs });
    }
  };
  return {
    probeRound: (plans) => Promise.all(plans.map((plan) => probe(plan).catch((error: unknown) => failed(plan, error)))),
    close: () => {
      http.close();
      engine?.close();
    },
  };
}

/** A bug in one probe must not sink the round: it becomes that target's failed observation. */
function failed(plan: ProbePlan, error: unknown): Observation {
  const reason = `probe failed: ${errorMessage(error)}`;
  if (plan.kind === 'http' || plan.kind === 'tcp') return { kind: plan.kind, samples: [{ error: reason }] };
  return { kind: plan.kind, error: reason };
}
