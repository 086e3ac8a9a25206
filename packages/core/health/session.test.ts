import { describe, expect, it } from 'vitest';
import type { Logger } from '../logger.ts';
import type { Clock } from './clock.ts';
import { DEFAULT_CRITERIA, DEFAULT_SESSION, type SessionSettings } from './criteria.ts';
import type { HealthPlan } from './health-plan.ts';
import type { Observation, ProbePlan, Prober } from './prober.ts';
import { runHealthSession } from './session.ts';
import { parseTargets } from './targets.ts';

const START = Date.UTC(2026, 0, 1);

/** Time moves only when the session sleeps or a round takes its (fake) time. */
function fakeClock(): Clock & { advance(ms: number): void } {
  let now = START;
  return {
    now: () => now,
    sleep: async (ms) => void (now += ms),
    advance: (ms) => void (now += ms),
  };
}

/** Answers each plan from a script of the round number; every round takes `roundMs`. */
type RoundTime = number | ((plans: readonly ProbePlan[]) => number);

function scriptedProber(clock: ReturnType<typeof fakeClock>, script: (round: number, plan: ProbePlan) => Observation, roundMs: RoundTime = 100) {
  const rounds: ProbePlan[][] = [];
  const prober: Prober = {
    async probeRound(plans) {
      rounds.push([...plans]);
      clock.advance(typeof roundMs === 'number' ? roundMs : roundMs(plans));
      return plans.map((plan) => script(rounds.length, plan));
    },
  };
  return { prober, rounds };
}

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log = (level: string) => (message: string) => void lines.push(`${level} ${message}`);
  return { lines, debug: log('debug'), info: log('info'), warning: log('warning'), error: log('error') };
}

const up = (latencyMs = 10): Observation => ({ kind: 'http', samples: Array(5).fill({ status: 200, latencyMs }) });
const down: Observation = { kind: 'http', samples: Array(5).fill({ status: 503, latencyMs: 2 }) };

function plan(targets: string, session: Partial<SessionSettings> = {}, maxLatencyP95Ms?: number): HealthPlan {
  return {
    targets: parseTargets(targets),
    criteria: { ...DEFAULT_CRITERIA, ...(maxLatencyP95Ms ? { maxLatencyP95Ms } : {}) },
    session: { ...DEFAULT_SESSION, ...session },
  };
}

async function run(p: HealthPlan, script: (round: number, plan: ProbePlan) => Observation, roundMs: RoundTime = 100) {
  const clock = fakeClock();
  const { prober, rounds } = scriptedProber(clock, script, roundMs);
  const logger = recordingLogger();
  const report = await runHealthSession(p, { prober, clock, logger });
  return { report, plans: rounds, log: logger.lines };
}

describe('runHealthSession', () => {
  it('is healthy after the required consecutive healthy rounds', async () => {
    const { report, log } = await run(plan('http://a/health'), () => up());
    expect(report.healthy).toBe(true);
    expect(report.message).toBe('healthy: every target met every criterion for 3 consecutive rounds (3 rounds in 10.1s)');
    expect(report.rounds.map((r) => [r.index, r.startedAtMs, r.durationMs, r.streak])).toEqual([
      [1, 0, 100, 1],
      [2, 5000, 100, 2],
      [3, 10000, 100, 3],
    ]);
    expect(report.startedAt).toBe('2026-01-01T00:00:00.000Z');
    expect(log).toContain('info round 2 healthy (2 of 3 in a row) in 100ms');
  });

  it('starts counting again after an unhealthy round', async () => {
    const { report } = await run(plan('http://a/health\nhttp://b/health'), (round, p) => (round === 3 && p.id === 'http://b/health' ? down : up()));
    expect(report.healthy).toBe(true);
    expect(report.rounds.map((r) => r.streak)).toEqual([1, 2, 0, 1, 2, 3]);
    expect(report.targets.map((t) => [t.target, t.roundsHealthy, t.roundsTotal, t.lastFailure?.round])).toEqual([
      ['http://a/health', 6, 6, undefined],
      ['http://b/health', 5, 6, 3],
    ]);
    // The failures of the last failing round stay in the report even when the session ends healthy.
    expect(report.lastFailures.map((f) => [f.round, f.target, f.criterion])).toEqual([[3, 'http://b/health', 'min-success-rate']]);
  });

  it('fails by timeout when healthy rounds never run three in a row, naming the last failure', async () => {
    const flapping = plan('http://a/health', { timeoutMs: 30_000 }, 500);
    const { report, log } = await run(flapping, (round) => (round % 2 === 0 ? up(900) : up()));
    expect(report.healthy).toBe(false);
    expect(report.rounds).toHaveLength(6);
    expect(report.message).toBe(
      'http://a/health: latency p95 900ms exceeds max-latency-p95 500ms (round 6); not healthy for 3 consecutive rounds within timeout 30s (6 rounds, longest healthy run 1)',
    );
    expect(report.lastFailures).toEqual([
      {
        round: 6,
        target: 'http://a/health',
        criterion: 'max-latency-p95',
        observed: '900ms',
        threshold: '500ms',
        message: 'http://a/health: latency p95 900ms exceeds max-latency-p95 500ms',
      },
    ]);
    expect(log).toContain('info round 2 unhealthy (1 of 1 targets failing) in 100ms: http://a/health: latency p95 900ms exceeds max-latency-p95 500ms');
  });

  it('counts the other failures of the last failing round in the message', async () => {
    const { report, log } = await run(plan('http://a/\nhttp://b/', { timeoutMs: 1000 }), () => down);
    expect(report.message).toBe(
      'http://a/: success rate 0% is below min-success-rate 100% (5 of 5 samples failed; last: status 503 is outside expected-status 200-399) (round 1, and 1 more failure); not healthy for 3 consecutive rounds within timeout 1s (1 round, longest healthy run 0)',
    );
    expect(log.filter((line) => line.startsWith('debug'))).toEqual([
      'debug round 1: http://b/: success rate 0% is below min-success-rate 100% (5 of 5 samples failed; last: status 503 is outside expected-status 200-399)',
    ]);
  });

  it('says so when time ran out before any round failed', async () => {
    const { report } = await run(plan('http://a/', { timeoutMs: 6000 }), () => up());
    expect(report.message).toBe('not healthy for 3 consecutive rounds within timeout 6s (2 rounds, longest healthy run 2)');
  });

  it('starts a round every interval, bounds each by the deadline, and sleeps only when another round fits', async () => {
    const { plans } = await run(plan('http://a/', { timeoutMs: 12_000, requestTimeoutMs: 10_000 }), () => down);
    expect(plans.map(([p]) => [p!.budgetMs, p!.timeoutMs, p!.samples])).toEqual([
      [12_000, 10_000, 5],
      [7_000, 7_000, 5],
      [2_000, 2_000, 5],
    ]);
  });

  it('starts no round the deadline would cut short', async () => {
    const { report } = await run(plan('http://a/', { timeoutMs: 11_000, intervalMs: 1000 }), () => down, 4000);
    expect(report.rounds.map((r) => r.startedAtMs)).toEqual([0, 4000]);
  });

  it('keeps the failure of a whole round over that of a round the deadline cut short', async () => {
    const p = plan('http://a/', { timeoutMs: 6000, intervalMs: 1000 }, 500);
    const { report } = await run(
      p,
      (round) => (round === 1 ? up(900) : down),
      (plans) => (plans[0]!.budgetMs === 6000 ? 1000 : plans[0]!.budgetMs),
    );
    expect(report.rounds.map((r) => [r.startedAtMs, r.durationMs, r.healthy])).toEqual([
      [0, 1000, false],
      [1000, 5000, false],
    ]);
    expect(report.message).toMatch(/^http:\/\/a\/: latency p95 900ms exceeds max-latency-p95 500ms \(round 1\)/);
  });

  it('tells the prober what each kind needs', async () => {
    const p = plan('http://a/\ncontainer://web\ntcp://db:5432');
    p.criteria = { ...p.criteria, bodyContains: 'ok', maxCpuPercent: 80 };
    const { plans } = await run(p, (_, probe) =>
      probe.kind === 'container'
        ? { kind: 'container', state: { status: 'running' } }
        : probe.kind === 'tcp'
          ? { kind: 'tcp', samples: [{ latencyMs: 1 }] }
          : up(),
    );
    expect(plans[0]!.map(({ id, samples, bodyContains, resources }) => ({ id, samples, bodyContains, resources }))).toEqual([
      { id: 'http://a/', samples: 5, bodyContains: 'ok', resources: undefined },
      { id: 'container://web', samples: 1, bodyContains: undefined, resources: true },
      { id: 'tcp://db:5432', samples: 1, bodyContains: undefined, resources: undefined },
    ]);
  });

  it('mentions a note such as a missing HEALTHCHECK once, not every round', async () => {
    const { log } = await run(plan('container://web'), () => ({ kind: 'container', state: { status: 'running' } }));
    expect(log.filter((line) => line.includes('HEALTHCHECK'))).toEqual(['info container://web: the image has no HEALTHCHECK: running counts as healthy']);
  });

  it('aggregates success rate and percentiles per target and overall, as plain JSON', async () => {
    const { report } = await run(plan('http://a/\ntcp://b:1', { requiredSuccesses: 2 }), (round, p) =>
      p.kind === 'tcp' ? { kind: 'tcp', samples: [round === 1 ? { error: 'connect ECONNREFUSED 127.0.0.1:1' } : { latencyMs: 1 }] } : up(round * 10),
    );
    expect(report.targets.map(({ target, successRate, latency }) => ({ target, successRate, latency }))).toEqual([
      { target: 'http://a/', successRate: 100, latency: { p50: 20, p95: 30, p99: 30 } },
      { target: 'tcp://b:1', successRate: (2 / 3) * 100, latency: { p50: 1, p95: 1, p99: 1 } },
    ]);
    expect(report.overall).toMatchObject({ samples: 18, successRate: (17 / 18) * 100 });
    expect(report.rounds[0]).toMatchObject({ healthy: false, successRate: (5 / 6) * 100, latency: { p50: 10 } });
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });
});

describe("runHealthSession in watch mode (a deploy's observation window)", () => {
  it('is healthy when every round of the window is, probing until the window ends', async () => {
    const clock = fakeClock();
    const { prober, rounds } = scriptedProber(clock, () => up());
    const report = await runHealthSession(plan('http://svc/health', { watch: true, timeoutMs: 10_000, intervalMs: 1_000 }), {
      prober,
      clock,
      logger: recordingLogger(),
    });
    expect(report.healthy).toBe(true);
    expect(rounds.length).toBeGreaterThanOrEqual(9);
    expect(report.message).toMatch(/^healthy: every target met every criterion in every round of the observation window \(\d+ rounds in/);
  });

  it('gives a round started in a short window its whole request timeout, and counts its answer', async () => {
    const { report, plans } = await run(
      plan('http://svc/health', { watch: true, timeoutMs: 1_000, intervalMs: 1_000, requestTimeoutMs: 10_000 }),
      () => up(),
      1_500,
    );
    expect(plans.map(([p]) => [p!.budgetMs, p!.timeoutMs])).toEqual([[10_000, 10_000]]);
    expect(report.healthy).toBe(true);
  });

  it('stops at the first unhealthy round and says so', async () => {
    const clock = fakeClock();
    const { prober, rounds } = scriptedProber(clock, (round) => (round === 3 ? down : up()));
    const report = await runHealthSession(plan('http://svc/health', { watch: true, timeoutMs: 60_000, intervalMs: 1_000 }), {
      prober,
      clock,
      logger: recordingLogger(),
    });
    expect(report.healthy).toBe(false);
    expect(rounds).toHaveLength(3);
    expect(report.message).toContain('(round 3); unhealthy in round 3 of the observation window, after 2 healthy rounds');
  });
});
