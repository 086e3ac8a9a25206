/**
 * Direct deploys and previews benchmark, through the committed CLI (`sidhe-devops deploy`, `teardown`).
 *   node bench/direct.bench.ts [--deploys 6] [--previews 3] [--rate 200] [--connections 8] [--max-seconds 400]
 * Needs `scripts/services.sh start` (the Docker engine), haproxy and nginx from Debian.
 * 1. Behind a private HAProxy: v1 deployed, then --deploys direct deploys (2.0.0, 1.0.0, …) under a
 *    paced keep-alive load of --rate req/s through the router: failed requests (goal 0).
 * 2. Without a router (`router: none`): the same deploys, each reporting `unreachable-ms` (the time
 *    from stopping the old release to the new one's first healthy answer), and probed from outside
 *    by the same load against the release's port: the requests that failed meanwhile.
 * 3. Previews behind a private nginx: --previews preview deploys, then their teardowns, timed.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { quantile } from 'simple-statistics';
import { runCommand } from '../packages/adapters/process/run-command.ts';
import { startHaproxy } from '../test/support/haproxy-process.ts';
import { freePort } from '../test/support/local-servers.ts';
import { startNginx } from '../test/support/nginx-process.ts';
import { DOCKER_HOST } from '../test/support/services.ts';
import { round } from './support/cut-over.ts';
import { startPacedLoad, type PacedLoadResult } from './support/paced-load.ts';
import { copyDist, runSidheCli, type CliRun } from './support/sidhe-cli.ts';

const { values: args } = parseArgs({
  options: {
    deploys: { type: 'string', default: '6' },
    previews: { type: 'string', default: '3' },
    rate: { type: 'string', default: '200' },
    connections: { type: 'string', default: '8' },
    'max-seconds': { type: 'string', default: '400' },
  },
});
const DEPLOYS = Number(args.deploys);
const PREVIEWS = Number(args.previews);
const RATE = Number(args.rate);
const CONNECTIONS = Number(args.connections);
const MAX_SECONDS = Number(args['max-seconds']);
const VERSIONS = ['1.0.0', '2.0.0'] as const;
const env = { ...process.env, DOCKER_HOST };
const docker = (...a: string[]) => runCommand('docker', a, { env });
const APP = `dbench${process.pid}`;
const image = (version: string) => `sidhe-bench/direct-${process.pid}:${version}`;
const cleanups: (() => Promise<unknown>)[] = [];

for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void cleanUp().finally(() => process.exit(130)));

try {
  const { cli, remove } = await copyDist();
  cleanups.push(remove);
  for (const version of VERSIONS) {
    const built = await runCommand('bash', ['scripts/build-sample-image.sh', image(version), version], { env, cwd: new URL('..', import.meta.url).pathname });
    if (built.exitCode !== 0) fail(`building ${image(version)} failed: ${built.stderr}`);
  }
  cleanups.push(() => docker('rmi', '-f', ...VERSIONS.map(image)));
  cleanups.push(async () => {
    const ids = (await docker('ps', '-aq', '--filter', `name=sidhe-${APP}.`)).stdout.split('\n').filter(Boolean);
    if (ids.length) await docker('rm', '-f', ...ids);
  });
  const configDir = await mkdtemp(join(os.tmpdir(), 'sidhe-direct-bench-'));
  cleanups.push(() => rm(configDir, { recursive: true, force: true }));

  const routed = await benchRouted(cli, configDir);
  const unrouted = await benchUnrouted(cli, configDir);
  const previews = await benchPreviews(cli, configDir);
  await publish({ routed, unrouted, previews });
} finally {
  await cleanUp();
}

async function cleanUp(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch((error: Error) => console.error(`cleanup: ${error.message}`));
}

async function writeConfig(dir: string, yaml: string): Promise<string> {
  const file = join(dir, `devops-${Math.random().toString(36).slice(2)}.yaml`);
  await writeFile(file, yaml);
  return file;
}

async function sidhe(cli: string, what: string, argv: string[]): Promise<CliRun> {
  const run = await runSidheCli(cli, argv, { env, timeoutMs: 180_000 });
  if (run.exitCode !== 0) fail(`${what} exited with ${run.exitCode}:\n${run.stderr}`);
  return run;
}

/** Direct deploys behind HAProxy under load: what the clients saw. */
async function benchRouted(cli: string, dir: string) {
  const environment = 'routed';
  const proxy = await startHaproxy({ backend: `${APP}-${environment}`, servers: [{ name: 'blue' }, { name: 'green' }] });
  cleanups.push(() => proxy.stop());
  const config = await writeConfig(dir, `deployment_strategies:\n  ${environment}: { strategy: direct }\n`);
  const common = ['--app', APP, '--environment', environment, '--router', 'haproxy', '--router-endpoint', proxy.endpoint, '--config', config];
  common.push('--ports', `${await freePort()},${await freePort()}`, '--health-timeout', '90s');
  const deploy = (version: string) => sidhe(cli, `direct deploy ${version}`, ['deploy', '--image', image(version), ...common]);
  console.error(`direct behind HAProxy: deploying 1.0.0, then ${DEPLOYS} direct deploys under ${RATE} req/s`);
  await deploy(VERSIONS[0]);
  const load = startPacedLoad(`${proxy.url}/version`, { rate: RATE, connections: CONNECTIONS, maxSeconds: MAX_SECONDS });
  const runs: CliRun[] = [];
  let result: PacedLoadResult;
  try {
    await sleep(1000);
    for (let n = 1; n <= DEPLOYS; n++) runs.push(await deploy(VERSIONS[n % 2]!));
    await sleep(1000);
  } finally {
    result = await load.stop();
  }
  return { ...loadFigures(result), deployMs: stat(runs.map((r) => Number(r.outputs['duration-ms']))) };
}

/** Direct deploys without a router: the unreachable window each reports, and what a client saw. */
async function benchUnrouted(cli: string, dir: string) {
  const environment = 'unrouted';
  const port = await freePort();
  const config = await writeConfig(dir, `deployment_strategies:\n  ${environment}: { strategy: direct }\n`);
  const common = [
    '--app',
    APP,
    '--environment',
    environment,
    '--router',
    'none',
    '--ports',
    `${port},${port + 1}`,
    '--config',
    config,
    '--health-timeout',
    '90s',
  ];
  const deploy = (version: string) => sidhe(cli, `direct deploy ${version} without a router`, ['deploy', '--image', image(version), ...common]);
  console.error(`direct without a router: deploying 1.0.0, then ${DEPLOYS} stop-then-start deploys under ${RATE} req/s on the release's port`);
  await deploy(VERSIONS[0]);
  const load = startPacedLoad(`http://127.0.0.1:${port}/version`, { rate: RATE, connections: CONNECTIONS, maxSeconds: MAX_SECONDS });
  const runs: CliRun[] = [];
  let result: PacedLoadResult;
  try {
    await sleep(1000);
    for (let n = 1; n <= DEPLOYS; n++) runs.push(await deploy(VERSIONS[n % 2]!));
    await sleep(1000);
  } finally {
    result = await load.stop();
  }
  return {
    ...loadFigures(result),
    unreachableMs: runs.map((r) => Number(r.outputs['unreachable-ms'])),
    unreachable: stat(runs.map((r) => Number(r.outputs['unreachable-ms']))),
  };
}

/** Preview deploys and teardowns behind nginx server blocks, timed from the command's start to its end. */
async function benchPreviews(cli: string, dir: string) {
  const nginx = await startNginx({ servers: [{ name: 'blue' }, { name: 'green' }], previews: true });
  cleanups.push(() => nginx.stop());
  const first = await freePort();
  const config = await writeConfig(
    dir,
    `previews:\n  ports: ${first}-${first + PREVIEWS + 2}\n  host: pr-{number}.bench.test\n  url: http://{host}\n  listen: ${nginx.previews!.listen}\n  max_count: ${PREVIEWS + 1}\n`,
  );
  const common = ['--app', APP, '--preview-router-endpoint', nginx.previews!.endpoint, '--config', config];
  console.error(`previews behind nginx: ${PREVIEWS} preview deploys, then their teardowns`);
  const deploys: CliRun[] = [];
  for (let n = 1; n <= PREVIEWS; n++)
    deploys.push(
      await sidhe(cli, `preview ${n}`, ['deploy', '--environment', `pr-${n}`, '--image', image(VERSIONS[n % 2]!), '--health-timeout', '90s', ...common]),
    );
  const teardowns: CliRun[] = [];
  for (let n = 1; n <= PREVIEWS; n++) teardowns.push(await sidhe(cli, `teardown ${n}`, ['teardown', '--preview', String(n), ...common]));
  return {
    deployWallMs: stat(deploys.map((r) => r.endedAt - r.startedAt)),
    deployMs: stat(deploys.map((r) => Number(r.outputs['duration-ms']))),
    teardownWallMs: stat(teardowns.map((r) => r.endedAt - r.startedAt)),
  };
}

function loadFigures(r: PacedLoadResult) {
  const seconds = (r.stoppedAt - r.startedAt) / 1000;
  return {
    sent: r.sent,
    requestsPerSecond: Math.round(r.sent / seconds),
    failed: {
      total: r.failures.length,
      connection: r.failures.filter((f) => f.kind === 'connection').length,
      non2xx: r.failures.filter((f) => f.kind === 'status').length,
    },
    resent: r.resent.length,
    hitBound: r.hitBound,
  };
}

function stat(xs: number[]): { p50: number; max: number; n: number } {
  if (xs.length === 0) return { p50: 0, max: 0, n: 0 };
  return { p50: round(quantile(xs, 0.5)), max: round(Math.max(...xs)), n: xs.length };
}

async function publish(figures: Record<string, unknown>): Promise<void> {
  const result = {
    benchmark: 'direct',
    date: new Date().toISOString(),
    node: process.version,
    cpus: os.cpus().length,
    deploys: DEPLOYS,
    previewCount: PREVIEWS,
    rate: RATE,
    connections: CONNECTIONS,
    ...figures,
  };
  console.log(JSON.stringify(result, null, 2));
  await writeFile(new URL('results/direct.json', import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function fail(message: string): never {
  throw new Error(message);
}
