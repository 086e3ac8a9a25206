import type { LoadFailure, TimedAnswer } from './paced-load.ts';

/**
 * When traffic moved, read off the answers a load client saw: from a moment (the switch logged, or
 * the command started) to the first answer from the new release and to the last from the old one.
 */
export interface CutOver {
  /** ms from `since` to the first answer from the new release; undefined when none came. */
  firstNewMs: number | undefined;
  /** ms from `since` to the last answer from the old release within the window; negative when none came after `since`. */
  lastOldMs: number | undefined;
  /** Answers from the old release after the first from the new one (both served for a while). */
  oldAfterFirstNew: number;
}

/** `answers` in order of arrival; the window is [since, until). */
export function cutOver(answers: readonly TimedAnswer[], window: { since: number; until: number }, from: string, to: string): CutOver {
  let firstNew: number | undefined;
  let lastOld: number | undefined;
  let oldAfterFirstNew = 0;
  for (const { at, body } of answers) {
    if (at >= window.until) break;
    if (body === from) {
      lastOld = at;
      if (firstNew !== undefined && at >= window.since) oldAfterFirstNew++;
    } else if (body === to && at >= window.since && firstNew === undefined) {
      firstNew = at;
    }
  }
  const since = (at: number | undefined) => (at === undefined ? undefined : round(at - window.since));
  return { firstNewMs: since(firstNew), lastOldMs: since(lastOld), oldAfterFirstNew };
}

/** The failures inside [since, until). */
export function failuresIn(failures: readonly LoadFailure[], window: { since: number; until: number }): LoadFailure[] {
  return failures.filter(({ at }) => at >= window.since && at < window.until);
}

export function round(x: number): number {
  return Math.round(x * 10) / 10;
}
