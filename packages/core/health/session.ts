import type { Logger } from '../logger.ts';
import { formatDuration } from '../inputs/index.ts';
import type { Clock } from './clock.ts';
import { evaluateTarget } from './evaluate-target.ts';
import type { HealthPlan } from './health-plan.ts';
import { planRound, type Prober } from './prober.ts';
import { summariseTargets, totals, type HealthReport, type RoundFailure, type RoundResult } from './report.ts';

/** Timers may fire a few milliseconds before the clock reads the deadline. */
const DEADLINE_SLACK_MS = 10;

export interface SessionDeps {
  prober: Prober;
  clock: Clock;
  logger: Logger;
}

/**
 * Probes the plan's targets in rounds until every target meets every criterion for
 * `requiredSuccesses` consecutive rounds, or the timeout passes. Never throws for an unhealthy
 * target: the report says so, and the caller decides what failing means (fail the step, roll back).
 */
export async function runHealthSession(plan: HealthPlan, { prober, clock, logger }: SessionDeps): Promise<HealthReport> {
  const { targets, criteria, session } = plan;
  const started = clock.now();
  const deadline = started + session.timeoutMs;
  const rounds: RoundResult[] = [];
  const noted = new Set<string>();
  let streak = 0;
  let lastFailures: RoundFailure[] = [];

  while (clock.now() < deadline) {
    const roundStart = clock.now();
    // A watch's window says how long to keep looking, not how long an answer may take: a round
    // started inside it gets its whole request timeout (a slow `docker inspect` is not a failure).
    const budgetMs = session.watch ? Math.max(deadline - roundStart, session.requestTimeoutMs) : deadline - roundStart;
    const observations = await prober.probeRound(planRound(targets, criteria, session, budgetMs));
    const results = targets.map((target, i) => evaluateTarget(target, observations[i]!, criteria));
    const healthy = results.every((r) => r.healthy);
    streak = healthy ? streak + 1 : 0;
    const round: RoundResult = {
      index: rounds.length + 1,
      startedAtMs: roundStart - started,
      durationMs: clock.now() - roundStart,
      healthy,
      streak,
      ...totals(results),
      targets: results,
    };
    rounds.push(round);
    // A round that ran into the deadline was cut short: its failures may be the deadline's, not the
    // targets', so it does not bury a failure seen in a whole round.
    const cutShort = !session.watch && deadline - clock.now() < DEADLINE_SLACK_MS;
    if (!healthy && !(cutShort && lastFailures.length > 0)) {
      lastFailures = results.flatMap((r) => r.failures.map((f) => ({ ...f, round: round.index })));
    }
    for (const { target, note } of results) {
      if (note === undefined || noted.has(target)) continue;
      noted.add(target);
      logger.info(`${target}: ${note}`);
    }
    logRound(logger, round, session.requiredSuccesses, lastFailures);
    if (session.watch ? !healthy : streak >= session.requiredSuccesses) break;
    // Rounds start every interval (a round that takes longer starts the next at once), so a slow
    // probe (a remote host's) does not stretch the proof beyond its rounds.
    const pause = Math.max(0, session.intervalMs - round.durationMs);
    // A round the deadline would cut short proves nothing and buries the last real failure.
    if (deadline - clock.now() - pause < Math.max(round.durationMs, 1)) break;
    await clock.sleep(pause);
  }

  const passed = session.watch ? rounds.length > 0 && rounds.every((r) => r.healthy) : streak >= session.requiredSuccesses;
  const durationMs = clock.now() - started;
  return {
    healthy: passed,
    message: passed ? healthyMessage(plan, rounds, durationMs) : unhealthyMessage(plan, rounds, lastFailures),
    startedAt: new Date(started).toISOString(),
    durationMs,
    session,
    criteria,
    rounds,
    targets: summariseTargets(targets, rounds),
    overall: totals(rounds.flatMap((r) => r.targets)),
    lastFailures,
  };
}

function logRound(logger: Logger, round: RoundResult, required: number, failures: readonly RoundFailure[]): void {
  const took = formatDuration(round.durationMs);
  if (round.healthy) {
    logger.info(`round ${round.index} healthy (${round.streak} of ${required} in a row) in ${took}`);
    return;
  }
  const failing = round.targets.filter((t) => !t.healthy).length;
  logger.info(`round ${round.index} unhealthy (${failing} of ${round.targets.length} targets failing) in ${took}: ${failures[0]!.message}`);
  for (const failure of failures.slice(1)) logger.debug(`round ${round.index}: ${failure.message}`);
}

function healthyMessage(plan: HealthPlan, rounds: readonly RoundResult[], durationMs: number): string {
  const took = `${plural(rounds.length, 'round')} in ${formatDuration(durationMs)}`;
  if (plan.session.watch) return `healthy: every target met every criterion in every round of the observation window (${took})`;
  const required = plan.session.requiredSuccesses;
  return `healthy: every target met every criterion for ${required} consecutive ${noun(required, 'round')} (${took})`;
}

function unhealthyMessage(plan: HealthPlan, rounds: readonly RoundResult[], failures: readonly RoundFailure[]): string {
  const { requiredSuccesses, timeoutMs } = plan.session;
  const longest = Math.max(0, ...rounds.map((r) => r.streak));
  const verdict = plan.session.watch
    ? `unhealthy in round ${rounds.length} of the observation window, after ${plural(longest, 'healthy round')}`
    : `not healthy for ${requiredSuccesses} consecutive ${noun(requiredSuccesses, 'round')} within timeout ${formatDuration(timeoutMs)} (${plural(rounds.length, 'round')}, longest healthy run ${longest})`;
  const first = failures[0];
  if (!first) return verdict;
  const more = failures.length > 1 ? `, and ${plural(failures.length - 1, 'more failure')}` : '';
  return `${first.message} (round ${first.round}${more}); ${verdict}`;
}

function plural(count: number, word: string): string {
  return `${count} ${noun(count, word)}`;
}

function noun(count: number, word: string): string {
  return count === 1 ? word : `${word}s`;
}
