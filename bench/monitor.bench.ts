/**
 * Infrastructure monitor benchmark, all real: the Docker engine of scripts/services.sh and the
 * committed CLI (a copy of dist/, see bench/support/sidhe-cli.ts).
 *   node bench/monitor.bench.ts [--containers 100] [--runs 3] [--idle-seconds 20] [--quiet-seconds 60]
 * 1. Status of N managed containers (sleeping busybox with the suite's labels): wall time and peak
 *    RSS of `sidhe-devops status --scope containers`, against one `docker ps` + one
 *    `docker stats --no-stream` over the same containers, measured in the same run (GNU time).
 * 2. `status --watch` CPU while idle between refreshes (from /proc/<pid>/stat).
 * 3. Detection: a watching `status --watch --refresh 2s` of one container; the container is killed;
 *    how long until a frame shows it not running. Then a quiet run with nothing wrong: alerts counted.
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { runCommand } from '../packages/adapters/process/run-command.ts';
import { encodeReleaseLabels, releaseId } from '../packages/core/deploy/release.ts';
import { mapLimit } from '../packages/core/map-limit.ts';
import { DOCKER_HOST } from '../test/support/services.ts';
import { copyDist } from './support/sidhe-cli.ts';

const { values: args } = parseArgs({
  options: {
    containers: { type: 'string', default: '100' },
    runs: { type: 'string', default: '3' },
    'idle-seconds': { type: 'string', default: '20' },
    'quiet-seconds': { type: 'string', default: '60' },
    // Creates the N containers and leaves them for the next run, which then reuses them.
    'create-only': { type: 'boolean', default: false },
  },
});
const N = Number(args.containers);
const RUNS = Number(args.runs);
const APP = 'mon-bench';
const env = { ...process.env, DOCKER_HOST };
const docker = (...a: string[]) => runCommand('docker', a, { env, timeoutMs: 300_000 });
const IMAGE = 'mon-sample:v1';
const TICKS = 100; // clock ticks per second of /proc/<pid>/stat (getconf CLK_TCK)

async function ensureImage(): Promise<void> {
  if ((await docker('image', 'inspect', IMAGE)).exitCode === 0) return;
  const built = await runCommand('bash', ['scripts/build-sample-image.sh', IMAGE, '1.0.0'], { env });
  if (built.exitCode !== 0) throw new Error(built.stderr);
}

async function removeBench(): Promise<void> {
  const ids = (await docker('ps', '-aq', '--filter', `label=dev.sidhe.app=${APP}`)).stdout.split('\n').filter(Boolean);
  if (ids.length > 0) await docker('rm', '-f', ...ids);
}

function labelsFor(environment: string): string[] {
  const at = new Date();
  const digest = `sha256:${'cd'.repeat(32)}`;
  const labels = encodeReleaseLabels({
    app: APP,
    environment,
    colour: 'blue',
    release: releaseId(at, digest),
    image: IMAGE,
    imageDigest: digest,
    deployedAt: at.toISOString(),
    port: 1,
  });
  return Object.entries(labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]);
}

async function startSleeper(environment: string, existing: ReadonlySet<string> = new Set()): Promise<void> {
  if (existing.has(`sidhe-${APP}.${environment}-blue`)) return;
  // No health check: the sample image's probes an HTTP server these sleepers do not run.
  const run = await docker(
    'run',
    '-d',
    '--name',
    `sidhe-${APP}.${environment}-blue`,
    '--network',
    'none',
    '--no-healthcheck',
    ...labelsFor(environment),
    IMAGE,
    '/bin/busybox',
    'sleep',
    '36000',
  );
  if (run.exitCode !== 0) throw new Error(run.stderr);
}

/** Wall ms and peak RSS (kB) of a command, by GNU time. */
async function timed(command: string, commandArgs: string[]): Promise<{ ms: number; rssKb: number; stdout: string }> {
  const started = performance.now();
  const result = await runCommand('/usr/bin/time', ['-f', 'RSS %M', command, ...commandArgs], { env, timeoutMs: 300_000 });
  const ms = performance.now() - started;
  if (result.exitCode !== 0) throw new Error(`${command} ${commandArgs.join(' ')} failed: ${result.stderr}`);
  const rssKb = Number(/RSS (\d+)\s*$/.exec(result.stderr)?.[1]);
  return { ms, rssKb, stdout: result.stdout };
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const cpuTicks = (pid: number): number => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime
};

/** `status --watch` in the background, with each frame's arrival time. */
function watch(cli: string, extra: string[]) {
  const child = spawn(process.execPath, [cli, 'status', '--watch', '--scope', 'containers', '--app', APP, ...extra], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const frames: { at: number; text: string }[] = [];
  let buffer = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += String(chunk);
    const parts = buffer.split(/(?=sidhe-devops status --watch: frame )/);
    buffer = parts.pop()!;
    for (const part of parts) if (part.trim()) frames.push({ at: performance.now(), text: part });
  });
  return {
    child,
    frames,
    stop: async () => {
      child.kill('SIGINT');
      await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
    },
  };
}

await ensureImage();
await docker('rm', '-f', `sidhe-${APP}.detect-blue`, `sidhe-${APP}.quiet-blue`);
const existing = new Set((await docker('ps', '-a', '--format', '{{.Names}}', '--filter', `label=dev.sidhe.app=${APP}`)).stdout.split('\n').filter(Boolean));
const createStarted = performance.now();
await mapLimit(
  Array.from({ length: N }, (_, i) => `b${i}`),
  4,
  (environment) => startSleeper(environment, existing),
);
const createSeconds = (performance.now() - createStarted) / 1000;
console.log(`created ${N - existing.size} managed containers (${existing.size} kept from a --create-only run) in ${createSeconds.toFixed(1)} s`);
if (args['create-only']) process.exit(0);
const dist = await copyDist();
try {
  // 1. N containers, then status against docker ps + docker stats.

  const baseline: { ms: number; rssKb: number }[] = [];
  const status: { ms: number; rssKb: number }[] = [];
  for (let run = 0; run < RUNS; run++) {
    const ps = await timed('docker', ['ps', '--all', '--quiet', '--no-trunc', '--filter', `label=dev.sidhe.app=${APP}`]);
    const ids = ps.stdout.split('\n').filter(Boolean);
    const stats = await timed('docker', ['stats', '--no-stream', '--no-trunc', '--format', '{{json .}}', ...ids]);
    baseline.push({ ms: ps.ms + stats.ms, rssKb: Math.max(ps.rssKb, stats.rssKb) });
    const ours = await timed(process.execPath, [dist.cli, 'status', '--scope', 'containers', '--app', APP]);
    if (!ours.stdout.includes(`${N} managed container(s)`)) throw new Error(`status did not see the ${N} containers:\n${ours.stdout.slice(0, 400)}`);
    status.push({ ms: ours.ms, rssKb: ours.rssKb });
  }
  const figures1 = {
    containers: N,
    createSeconds: +createSeconds.toFixed(1),
    baseline: { medianMs: Math.round(median(baseline.map((b) => b.ms))), peakRssKb: Math.max(...baseline.map((b) => b.rssKb)) },
    status: { medianMs: Math.round(median(status.map((s) => s.ms))), peakRssKb: Math.max(...status.map((s) => s.rssKb)) },
  };
  const ratio = figures1.status.medianMs / figures1.baseline.medianMs;
  console.log(
    `status of ${N}: ${figures1.status.medianMs} ms (peak RSS ${figures1.status.peakRssKb} kB) vs docker ps + stats ${figures1.baseline.medianMs} ms (peak RSS ${figures1.baseline.peakRssKb} kB): ${ratio.toFixed(2)}x`,
  );

  // 2. Idle CPU of --watch between refreshes (the N containers still there, refresh 15 s).
  const idleSeconds = Number(args['idle-seconds']);
  const idle = watch(dist.cli, ['--refresh', `${idleSeconds + 10}s`]);
  while (idle.frames.length === 0) await sleep(100);
  await sleep(2_000); // the frame's docker children are done
  const before = cpuTicks(idle.child.pid!);
  await sleep(idleSeconds * 1000);
  const idleCpuPercent = ((cpuTicks(idle.child.pid!) - before) / TICKS / idleSeconds) * 100;
  await idle.stop();
  console.log(`--watch idle: ${idleCpuPercent.toFixed(2)}% of a core over ${idleSeconds} s`);
  await removeBench();

  // 3. Detection of a killed container, then a quiet run.
  await startSleeper('detect');
  const refreshMs = 2_000;
  const watcher = watch(dist.cli, ['--refresh', '2s']);
  while (watcher.frames.length < 2) await sleep(100);
  const killedAt = performance.now();
  await docker('kill', `sidhe-${APP}.detect-blue`);
  const seenFrom = watcher.frames.length;
  let detectedAt: number | undefined;
  while (detectedAt === undefined && performance.now() - killedAt < 30_000) {
    const frame = watcher.frames.slice(seenFrom).find((f) => /exited/.test(f.text));
    detectedAt = frame?.at;
    await sleep(50);
  }
  await watcher.stop();
  const detectionMs = detectedAt === undefined ? null : Math.round(detectedAt - killedAt);
  console.log(`killed container reported after ${detectionMs} ms (refresh ${refreshMs} ms; goal ${refreshMs + 2000} ms)`);

  await docker('rm', '-f', `sidhe-${APP}.detect-blue`);
  await startSleeper('quiet');
  const quietSeconds = Number(args['quiet-seconds']);
  const quiet = watch(dist.cli, ['--refresh', '2s']);
  await sleep(quietSeconds * 1000);
  await quiet.stop();
  const falseAlerts = quiet.frames.filter((f) => !/no alerts/.test(f.text)).length;
  console.log(`quiet run: ${quiet.frames.length} frames over ${quietSeconds} s, ${falseAlerts} with an alert`);

  // 4. A service that starts answering 500, seen by a watching health-check (`watch: true`).
  let failing = false;
  const service = http.createServer((_req, res) => void res.writeHead(failing ? 500 : 200).end(failing ? 'broken' : 'ok'));
  await new Promise<void>((resolve) => service.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(service.address() as AddressInfo).port}/health`;
  const checker = spawn(
    process.execPath,
    [dist.cli, 'health-check', '--targets', url, '--watch', 'true', '--interval', '2s', '--timeout', '10m', '--samples', '1'],
    {
      env,
      stdio: 'ignore',
    },
  );
  const exited = new Promise<number>((resolve) => checker.once('exit', () => resolve(performance.now())));
  await sleep(5_000);
  failing = true;
  const failedAt = performance.now();
  const errorsDetectedMs = Math.round((await exited) - failedAt);
  service.close();
  console.log(`service answering 500 reported after ${errorsDetectedMs} ms (interval ${refreshMs} ms; goal ${refreshMs + 2000} ms)`);

  const results = {
    at: new Date().toISOString(),
    machine: '2 shared cores, Docker on vfs',
    status: { ...figures1, ratio: +ratio.toFixed(2) },
    watchIdle: { seconds: idleSeconds, cpuPercentOfOneCore: +idleCpuPercent.toFixed(2) },
    detection: { refreshMs, killedContainerReportedAfterMs: detectionMs, errorsReportedAfterMs: errorsDetectedMs, goalMs: refreshMs + 2000 },
    quiet: { seconds: quietSeconds, frames: quiet.frames.length, framesWithAlerts: falseAlerts },
  };
  await writeFile(new URL('./results/monitor.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
} finally {
  await removeBench();
  await dist.remove();
}
