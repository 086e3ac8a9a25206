/**
 * Blue-green benchmark: deploys and rollbacks through the committed CLI under steady load, per router.
 *   node bench/blue-green.bench.ts [--routers haproxy,nginx] [--deploys 10] [--rollbacks 10]
 *     [--rate 300] [--connections 8] [--switch-delay 2s] [--wrk haproxy,nginx|none] [--max-seconds 300]
 * Needs `scripts/services.sh start` (the Docker engine), haproxy, nginx and wrk from Debian.
 * For each router: a private HAProxy or nginx on 127.0.0.1, the sample service built offline as
 * 1.0.0 and 2.0.0, v1 deployed, then under load through the router's front port: alternating deploys
 * (2.0.0, 1.0.0, …) and rollbacks `--to previous`, each a `node dist/cli.js` process (dist/ copied
 * once at the start, so a rebuild meanwhile does not change the CLI mid-run). A second pass
 * with wrk as the load (routers named by --wrk) counts what a client that never resends sees.
 */
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { quantile } from 'simple-statistics';
import { runCommand } from '../packages/adapters/process/run-command.ts';
import { startHaproxy } from '../test/support/haproxy-process.ts';
import { freePort } from '../test/support/local-servers.ts';
import { startNginx } from '../test/support/nginx-process.ts';
import { DOCKER_HOST } from '../test/support/services.ts';
import { cutOver, failuresIn, round } from './support/cut-over.ts';
import { startPacedLoad, type PacedLoadResult } from './support/paced-load.ts';
import { copyDist, runSidheCli, type CliRun } from './support/sidhe-cli.ts';
import { startWrk, type WrkResult } from './support/wrk.ts';

const { values: args } = parseArgs({
  options: {
    routers: { type: 'string', default: 'haproxy,nginx' },
    deploys: { type: 'string', default: '10' },
    rollbacks: { type: 'string', default: '10' },
    rate: { type: 'string', default: '300' },
    connections: { type: 'string', default: '8' },
    'switch-delay': { type: 'string', default: '2s' },
    wrk: { type: 'string', default: 'haproxy,nginx' },
    'max-seconds': { type: 'string', default: '300' },
  },
});
type RouterKind = 'haproxy' | 'nginx';
const routers = (s: string) =>
  s
    .split(',')
    .filter(Boolean)
    .map((r) => (r === 'haproxy' || r === 'nginx' ? r : fail(`unknown router ${r}`)));
const ROUTERS: RouterKind[] = routers(args.routers);
const WRK_ROUTERS: RouterKind[] = args.wrk === 'none' ? [] : routers(args.wrk);
const DEPLOYS = Number(args.deploys);
const ROLLBACKS = Number(args.rollbacks);
const RATE = Number(args.rate);
const CONNECTIONS = Number(args.connections);
const MAX_SECONDS = Number(args['max-seconds']);
const VERSIONS = ['1.0.0', '2.0.0'] as const;
const env = { ...process.env, DOCKER_HOST };
const docker = (...a: string[]) => runCommand('docker', a, { env });
const APP = `bgbench${process.pid}`;
const ENVIRONMENT = 'bench';
const image = (version: string) => `sidhe-bench/blue-green-${process.pid}:${version}`;
const cleanups: (() => Promise<unknown>)[] = [];

interface Op {
  kind: 'deploy' | 'rollback';
  n: number;
  from: string;
  to: string;
  run: CliRun;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void cleanUp().finally(() => process.exit(130)));
}
try {
  const { cli, remove } = await copyDist();
  cleanups.push(remove);
  for (const version of VERSIONS) {
    const built = await runCommand('bash', ['scripts/build-sample-image.sh', image(version), version], { env, cwd: new URL('..', import.meta.url).pathname });
    if (built.exitCode !== 0) fail(`building ${image(version)} failed: ${built.stderr}`);
  }
  cleanups.push(() => docker('rmi', '-f', ...VERSIONS.map(image)));
  const paced = [];
  for (const router of ROUTERS) {
    paced.push(await benchRouter(cli, router, 'paced', (url) => startPacedLoad(url, { rate: RATE, connections: CONNECTIONS, maxSeconds: MAX_SECONDS })));
  }
  const wrk = [];
  for (const router of WRK_ROUTERS) wrk.push(await benchRouter(cli, router, 'wrk', (url) => startWrk(url, { maxSeconds: MAX_SECONDS })));
  await publish(paced, wrk);
} finally {
  await cleanUp();
}

async function cleanUp(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch((error: Error) => console.error(`cleanup: ${error.message}`));
}

interface Bench<R> {
  router: RouterKind;
  ops: Op[];
  result: R;
}

/** One router: start it, deploy v1, then every deploy and rollback under the load `startLoad` makes. */
async function benchRouter<R>(cliPath: string, router: RouterKind, load: string, startLoad: (url: string) => { stop(): Promise<R> }): Promise<Bench<R>> {
  const service = `${APP}-${ENVIRONMENT}`;
  const slots = [{ name: 'blue' }, { name: 'green' }];
  const proxy = router === 'haproxy' ? await startHaproxy({ backend: service, servers: slots }) : await startNginx({ upstream: service, servers: slots });
  // Also run at exit by a signal; the same app name is used by the next pass, so it runs after each.
  const stopRouter = async () => {
    await proxy.stop();
    const ids = (await docker('ps', '-aq', '--filter', `name=sidhe-${APP}.${ENVIRONMENT}-`)).stdout.split('\n').filter(Boolean);
    if (ids.length) await docker('rm', '-f', ...ids);
  };
  cleanups.push(stopRouter);
  const common = ['--app', APP, '--environment', ENVIRONMENT, '--router', router, '--router-endpoint', proxy.endpoint];
  common.push('--ports', `${await freePort()},${await freePort()}`, '--health-timeout', '30s');
  const sidhe = async (what: string, extra: string[], mark?: RegExp) => {
    const run = await runSidheCli(cliPath, [...extra, ...common], { env, timeoutMs: 120_000, ...(mark ? { mark } : {}) });
    if (run.exitCode !== 0) fail(`${router}: ${what} exited with ${run.exitCode}:\n${run.stderr}`);
    if (mark && run.markedAt === undefined) fail(`${router}: ${what} never logged ${mark}:\n${run.stderr}`);
    return run;
  };
  const deploy = (version: string) =>
    sidhe(`deploy ${version}`, ['deploy-blue-green', '--image', image(version), '--switch-delay', args['switch-delay']], /switching traffic to/);

  try {
    console.error(`${router} (${load} load): deploying 1.0.0, then ${DEPLOYS} deploys and ${ROLLBACKS} rollbacks under load`);
    await deploy(VERSIONS[0]);
    const running = startLoad(`${proxy.url}/version`);
    const ops: Op[] = [];
    let result: R;
    let serving: string = VERSIONS[0];
    let idle: string = VERSIONS[0];
    try {
      await sleep(2000);
      for (let n = 1; n <= DEPLOYS; n++) {
        const to = VERSIONS[n % 2]!;
        ops.push({ kind: 'deploy', n, from: serving, to, run: await deploy(to) });
        [idle, serving] = [serving, to];
      }
      for (let n = 1; n <= ROLLBACKS; n++) {
        const run = await sidhe(`rollback ${n}`, ['rollback', '--to', 'previous', '--reason', 'bench']);
        ops.push({ kind: 'rollback', n, from: serving, to: idle, run });
        [idle, serving] = [serving, idle];
      }
      await sleep(1000);
    } finally {
      result = await running.stop();
    }
    return { router, ops, result };
  } finally {
    cleanups.splice(cleanups.indexOf(stopRouter), 1);
    await stopRouter();
  }
}

function summarise({ router, ops, result: r }: Bench<PacedLoadResult>) {
  const windows = ops.map((op, i) => ({ since: op.run.startedAt, until: ops[i + 1]?.run.startedAt ?? r.stoppedAt }));
  const perOp = ops.map((op, i) => {
    const since = op.kind === 'deploy' ? op.run.markedAt! : op.run.startedAt;
    const cut = cutOver(r.answers, { since, until: windows[i]!.until }, op.from, op.to);
    const failed = failuresIn(r.failures, windows[i]!);
    return {
      op: `${op.kind} ${op.n}`,
      from: op.from,
      to: op.to,
      durationMs: durationMs(op),
      wallMs: wallMs(op),
      cutOverFrom: op.kind === 'deploy' ? 'switch logged' : 'command started',
      ...cut,
      failed: failed.length,
      resent: r.resent.filter(({ at }) => at >= windows[i]!.since && at < windows[i]!.until).length,
    };
  });
  const seconds = (r.stoppedAt - r.startedAt) / 1000;
  const deploys = perOp.filter((o) => o.op.startsWith('deploy'));
  const defined = (xs: (number | undefined)[]) => xs.filter((x): x is number => x !== undefined);
  return {
    router,
    load: {
      client: 'paced keep-alive (resends a GET closed unanswered)',
      targetRate: RATE,
      connections: CONNECTIONS,
      seconds: round(seconds),
      hitBound: r.hitBound,
    },
    sent: r.sent,
    requestsPerSecond: Math.round(r.sent / seconds),
    failed: {
      total: r.failures.length,
      connection: r.failures.filter((f) => f.kind === 'connection').length,
      non2xx: r.failures.filter((f) => f.kind === 'status').length,
    },
    resent: { total: r.resent.length, reusedConnection: r.resent.filter((x) => x.reused).length, newConnection: r.resent.filter((x) => !x.reused).length },
    ...timings(ops),
    cutOverToFirstNewMs: stat(defined(deploys.map((o) => o.firstNewMs))),
    cutOverToLastOldMs: stat(defined(deploys.map((o) => o.lastOldMs))),
    operations: perOp,
    // The first few, each with the operation it fell in (none: before the first one).
    failures: r.failures.slice(0, 20).map((f) => ({
      ...f,
      at: round(f.at - r.startedAt),
      during: perOp[windows.findIndex((w) => f.at >= w.since && f.at < w.until)]?.op ?? 'none',
    })),
  };
}

function summariseWrk({ router, ops, result: w }: Bench<WrkResult>) {
  return {
    router,
    command: 'wrk -t2 -c8 --latency (stopped by SIGINT when the last rollback ended)',
    deploys: ops.filter((o) => o.kind === 'deploy').length,
    rollbacks: ops.filter((o) => o.kind === 'rollback').length,
    requests: w.requests,
    seconds: round(w.seconds),
    requestsPerSecond: w.requestsPerSecond,
    socketErrors: w.socketErrors,
    non2xx3xx: w.non2xx3xx,
    latencyMs: w.latencyMs,
    ...timings(ops),
  };
}

async function publish(paced: Bench<PacedLoadResult>[], wrk: Bench<WrkResult>[]): Promise<void> {
  const routersOut = paced.map(summarise);
  const wrkOut = wrk.map(summariseWrk);
  const result = {
    benchmark: 'blue-green',
    date: new Date().toISOString(),
    node: process.version,
    cpus: os.cpus().length,
    deploys: DEPLOYS,
    rollbacks: ROLLBACKS,
    switchDelay: args['switch-delay'],
    routers: routersOut,
    wrk: wrkOut,
  };
  console.log(
    `blue-green bench: ${DEPLOYS} deploys + ${ROLLBACKS} rollbacks per router under ${RATE} req/s over ${CONNECTIONS} keep-alive connections (Node ${process.version}, ${result.cpus} CPUs)`,
  );
  const p = (s: { p50: number; max: number }) => `${s.p50} / ${s.max}`;
  console.table(
    Object.fromEntries(
      routersOut.map((r) => [
        r.router,
        {
          sent: r.sent,
          'req/s': r.requestsPerSecond,
          'failed conn': r.failed.connection,
          'failed non-2xx': r.failed.non2xx,
          resent: r.resent.total,
          'switch→first new ms p50/max': p(r.cutOverToFirstNewMs),
          'switch→last old ms p50/max': p(r.cutOverToLastOldMs),
          'deploy ms p50': r.deployDurationMs.p50,
          'rollback ms p50/max': p(r.rollbackDurationMs),
          'rollback wall ms p50/max': p(r.rollbackWallMs),
        },
      ]),
    ),
  );
  for (const r of routersOut) {
    console.log(`${r.router}: each operation (cut-over from the logged switch for deploys, from the command's start for rollbacks)`);
    console.table(
      r.operations.map(({ op, from, to, durationMs, wallMs, firstNewMs, lastOldMs, oldAfterFirstNew, failed, resent }) => ({
        op,
        from,
        to,
        durationMs,
        wallMs,
        firstNewMs,
        lastOldMs,
        oldAfterFirstNew,
        failed,
        resent,
      })),
    );
  }
  if (wrkOut.length) {
    console.log('wrk as the load (never resends):');
    console.table(
      Object.fromEntries(
        wrkOut.map((w) => [
          w.router,
          {
            requests: w.requests,
            'req/s': w.requestsPerSecond,
            ...w.socketErrors,
            'non-2xx/3xx': w.non2xx3xx,
            'p99 ms': w.latencyMs.p99,
            'deploy ms p50': w.deployDurationMs.p50,
            'rollback ms p50/max': p(w.rollbackDurationMs),
          },
        ]),
      ),
    );
  }
  await writeFile(new URL('results/blue-green.json', import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
}

/** The action's own `duration-ms` output, and the wall time of the CLI process (Node's start included). */
function durationMs(op: Op): number {
  return Number(op.run.outputs['duration-ms']);
}

function wallMs(op: Op): number {
  return round(op.run.endedAt - op.run.startedAt);
}

function timings(ops: Op[]) {
  const deploys = ops.filter((o) => o.kind === 'deploy');
  const rollbacks = ops.filter((o) => o.kind === 'rollback');
  return {
    deployDurationMs: stat(deploys.map(durationMs)),
    deployWallMs: stat(deploys.map(wallMs)),
    rollbackDurationMs: stat(rollbacks.map(durationMs)),
    rollbackWallMs: stat(rollbacks.map(wallMs)),
  };
}

function stat(xs: number[]) {
  return xs.length ? { p50: round(quantile(xs, 0.5)), max: round(Math.max(...xs)) } : { p50: NaN, max: NaN };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function fail(message: string): never {
  throw new Error(`blue-green bench: ${message}`);
}
