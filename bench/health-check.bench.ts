/**
 * Health-check benchmark: rounds against many local HTTP targets through the real prober.
 *   node bench/health-check.bench.ts [--targets 200] [--rounds 10] [--samples 5]
 * The targets run in a child process (this file again, with --serve) so the peak memory measured
 * is the prober's own, and the two cores split between serving and probing.
 */
import { fork } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { quantile } from 'simple-statistics';
import { createProber } from '../packages/adapters/probes/composite-prober.ts';
import { systemClock } from '../packages/adapters/probes/system-clock.ts';
import { parseHealthPlan, runHealthSession, type RoundResult } from '../packages/core/health/index.ts';
import { silentLogger } from '../packages/core/logger.ts';

const { values: args } = parseArgs({
  options: {
    targets: { type: 'string', default: '200' },
    rounds: { type: 'string', default: '10' },
    samples: { type: 'string', default: '5' },
    serve: { type: 'boolean', default: false },
  },
});
const TARGETS = Number(args.targets);

/** Target i answers after 1–20 ms, spread so neighbours differ. */
const delayOf = (i: number) => 1 + ((i * 7) % 20);

if (args.serve) {
  const ports = await Promise.all(
    Array.from({ length: TARGETS }, async (_, i) => {
      const server = http.createServer((_req, res) => setTimeout(() => res.end('ok'), delayOf(i)));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return (server.address() as AddressInfo).port;
    }),
  );
  process.send!({ ports });
  process.on('disconnect', () => process.exit(0));
} else {
  await main();
}

async function main(): Promise<void> {
  const rssBeforeMiB = round(process.resourceUsage().maxRSS / 1024);
  const servers = fork(import.meta.filename, ['--serve', '--targets', String(TARGETS)]);
  const ports = await new Promise<number[]>((resolve) => servers.once('message', (m: { ports: number[] }) => resolve(m.ports)));
  const prober = createProber();
  try {
    const plan = parseHealthPlan({
      targets: ports.map((port) => `http://127.0.0.1:${port}/health`).join('\n'),
      samples: args.samples,
      requiredSuccesses: args.rounds,
      interval: '0ms',
      timeout: '5m',
    });
    const started = performance.now();
    const report = await runHealthSession(plan, { prober, clock: systemClock, logger: silentLogger });
    const wallMs = performance.now() - started;
    await publish(report.rounds, report.healthy, wallMs, rssBeforeMiB);
  } finally {
    prober.close();
    servers.disconnect();
  }
}

async function publish(rounds: readonly RoundResult[], healthy: boolean, wallMs: number, rssBeforeMiB: number): Promise<void> {
  const roundMs = rounds.map((r) => r.durationMs);
  // The floor a concurrent round cannot beat: the slowest target's own sequential samples.
  const slowestMs = rounds.map((r) =>
    Math.max(...r.targets.map((t) => (t.observation.kind === 'http' ? t.observation.samples.reduce((s, x) => s + (x.latencyMs ?? 0), 0) : 0))),
  );
  const requestsPerRound = rounds[0]!.targets.reduce((sum, t) => sum + t.samples, 0);
  const failed = rounds.reduce((sum, r) => sum + r.targets.reduce((s, t) => s + t.samples - t.succeeded, 0), 0);
  const stat = (xs: number[]) => ({ median: round(quantile(xs, 0.5)), p95: round(quantile(xs, 0.95)), max: round(Math.max(...xs)) });
  const result = {
    benchmark: 'health-check',
    date: new Date().toISOString(),
    node: process.version,
    cpus: os.cpus().length,
    targets: TARGETS,
    rounds: rounds.length,
    samplesPerTarget: Number(args.samples),
    targetLatencyMs: { min: 1, max: 20 },
    healthy,
    roundMs: stat(roundMs),
    slowestTargetMs: stat(slowestMs),
    requestsPerRound,
    failedRequests: failed,
    requestsPerSecond: Math.round((requestsPerRound * rounds.length) / (wallMs / 1000)),
    peakRssMiB: round(process.resourceUsage().maxRSS / 1024),
    // Node with its TypeScript stripping and our modules loaded, before any target: the floor.
    rssBeforeMiB,
  };
  console.log(`health-check bench: ${TARGETS} targets × ${args.samples} samples × ${rounds.length} rounds (Node ${process.version}, ${result.cpus} CPUs)`);
  console.table({
    'round time (ms)': result.roundMs,
    'slowest target in round (ms)': result.slowestTargetMs,
  });
  console.table({
    'requests / round': requestsPerRound,
    'requests / second': result.requestsPerSecond,
    'failed requests': failed,
    'peak RSS (MiB)': result.peakRssMiB,
    'RSS before probing (MiB)': rssBeforeMiB,
  });
  await writeFile(new URL('results/health-check.json', import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}
