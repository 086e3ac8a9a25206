import { DELIBERATE_FAILURE } from '../../test/support/sample-variant.ts';
import { failuresIn, round } from './cut-over.ts';
import type { LoadFailure, PacedLoadResult } from './paced-load.ts';

/**
 * What a load client saw of one canary run, from the answers in a window [since, until): when the
 * canary answered first and last (its deliberate 500s are its answers too: the body names the
 * version), how many requests each side served, and every failure the canary did not mean.
 */
export interface CanaryWindow {
  /** ms from `since` to the canary's first answer; undefined when it answered none. */
  firstCanaryMs: number | undefined;
  /** ms from `since` to the canary's last answer. */
  lastCanaryMs: number | undefined;
  /** The canary's 200 answers. */
  canaryAnswers: number;
  /** The canary's deliberate 500s. */
  deliberateFailures: number;
  /** Failures that are not a variant's deliberate 500: the router's, a connection's, a weight change's. */
  otherFailures: LoadFailure[];
  /** GETs closed before any answer and sent again (the paced client's one resend). */
  resent: number;
}

/** The version a failure names when it is a deliberate 500 of a sample variant, else undefined. */
export function deliberateFailureOf(failure: LoadFailure): string | undefined {
  const at = failure.detail.indexOf(DELIBERATE_FAILURE);
  if (failure.kind !== 'status' || !failure.detail.startsWith('status 500:') || at < 0) return undefined;
  return failure.detail.slice(at + DELIBERATE_FAILURE.length).trim();
}

export function canaryWindow(load: PacedLoadResult, window: { since: number; until: number }, canaryVersion: string): CanaryWindow {
  let first = Infinity;
  let last = -Infinity;
  const seen = (at: number) => {
    first = Math.min(first, at);
    last = Math.max(last, at);
  };
  let canaryAnswers = 0;
  for (const { at, body } of load.answers) {
    if (at >= window.until) break;
    if (at >= window.since && body === canaryVersion) {
      canaryAnswers++;
      seen(at);
    }
  }
  const otherFailures: LoadFailure[] = [];
  let deliberateFailures = 0;
  for (const failure of failuresIn(load.failures, window)) {
    const version = deliberateFailureOf(failure);
    if (version === undefined) otherFailures.push(failure);
    else if (version === canaryVersion) {
      deliberateFailures++;
      seen(failure.at);
    }
  }
  const since = (at: number) => (Number.isFinite(at) ? round(at - window.since) : undefined);
  return {
    firstCanaryMs: since(first),
    lastCanaryMs: since(last),
    canaryAnswers,
    deliberateFailures,
    otherFailures,
    resent: load.resent.filter(({ at }) => at >= window.since && at < window.until).length,
  };
}
