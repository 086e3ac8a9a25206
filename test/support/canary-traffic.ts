import type { Look } from '../../packages/core/canary/canary-judge.ts';
import type { VersionWindow } from '../../packages/core/canary/metrics-source.ts';
import { binomial, logNormal, type Random } from './seeded-random.ts';

/** How one simulated version behaves: its error rate and its latency. */
export interface VersionBehaviour {
  errorRate: number;
  medianMs: number;
  /** Added to every request, for a canary that is slower by a fixed amount. */
  extraMs?: number;
}

export interface Traffic {
  /** Requests per look, both versions together (one look a second: requests per second). */
  requestsPerLook: number;
  /** The canary's share of the requests, 0..1. */
  weight: number;
  canary: VersionBehaviour;
  stable: VersionBehaviour;
  latency: 'samples' | 'summary' | 'none';
}

/** One look's windows: each request goes to the canary with probability `weight`. */
export function simulateLook(random: Random, traffic: Traffic, atMs: number): Look {
  const canaryRequests = binomial(random, traffic.requestsPerLook, traffic.weight);
  return {
    atMs,
    canary: simulateWindow(random, canaryRequests, traffic.canary, traffic.latency),
    stable: simulateWindow(random, traffic.requestsPerLook - canaryRequests, traffic.stable, traffic.latency),
  };
}

function simulateWindow(random: Random, requests: number, behaviour: VersionBehaviour, latency: Traffic['latency']): VersionWindow {
  const errors = binomial(random, requests, behaviour.errorRate);
  if (latency === 'none') return { requests, errors, latency: { kind: 'none' } };
  const ms = Array.from({ length: requests }, () => logNormal(random, behaviour.medianMs, 0.5) + (behaviour.extraMs ?? 0));
  if (latency === 'samples') return { requests, errors, latency: { kind: 'samples', ms } };
  // What an averaging source (HAProxy's rtime) reports: the mean, nothing about the distribution.
  const meanMs = ms.length === 0 ? undefined : ms.reduce((sum, value) => sum + value, 0) / ms.length;
  return { requests, errors, latency: meanMs === undefined ? { kind: 'summary' } : { kind: 'summary', meanMs } };
}
