/**
 * Metrics benchmark: what the DORA report costs over a month of GitHub Deployments history, and what
 * recording one deploy costs in API requests.
 *   node bench/metrics.bench.ts [--deploys 500] [--runs 5]
 * History is written through the real sink (real Octokit) into the fake of GitHub's REST API on
 * 127.0.0.1, spread over 30 days: 1 in 10 deploys switched back, 1 in 20 rolled back afterwards,
 * 1 in 25 refused, a commit per 5 deploys. Times here are loopback times: against GitHub each request
 * costs its round trip, so the request counts are the figures to read.
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { quantile } from 'simple-statistics';
import { readDeploymentRecords } from '../packages/adapters/github/deployment-history.ts';
import { GitHubDeploymentsApi } from '../packages/adapters/github/deployments-api.ts';
import { GitHubDeploymentsSink } from '../packages/adapters/github/deployments-sink.ts';
import { eventStamper, type EventFields, type EventType } from '../packages/core/events/devops-event.ts';
import { silentLogger } from '../packages/core/logger.ts';
import { addCommitTimes } from '../packages/core/metrics/commit-times.ts';
import { computeDoraMetrics } from '../packages/core/metrics/dora-metrics.ts';
import { FakeGitHubApi } from '../test/support/fake-github-api.ts';
import { FakeDeployments } from '../test/support/fake-github-deployments.ts';

const { values: args } = parseArgs({ options: { deploys: { type: 'string', default: '500' }, runs: { type: 'string', default: '5' } } });
const DEPLOYS = Number(args.deploys);
const RUNS = Number(args.runs);
const TOKEN = 'bench-token';
const REPO = 'acme/shop';
const DAY = 86_400_000;
const until = Date.now();
const since = until - 30 * DAY;

const fake = new FakeGitHubApi(TOKEN, [REPO]);
const github = new FakeDeployments(fake);
await fake.start();
const api = new GitHubDeploymentsApi({ token: TOKEN, repository: REPO, baseUrl: fake.url });
let clock = since;
github.now = () => clock;

/** One action run's events through a fresh sink, a few seconds apart; returns the requests it made. */
async function record(action: string, i: number, steps: [EventType, EventFields?][]): Promise<number> {
  const before = fake.requests.length;
  const sink = new GitHubDeploymentsSink({ api, logger: silentLogger, environmentUrl: 'https://shop.example.com' });
  const sha = (Math.floor(i / 5) + 1).toString(16).padStart(40, '0');
  const stamp = eventStamper(
    action,
    { app: 'shop', environment: 'production', strategy: 'blue_green', commit: sha, operation: `op-${action}-${i}` },
    () => clock,
  );
  for (const [type, fields] of steps) {
    clock += 3_000;
    await sink.emit(stamp(type, fields));
  }
  return fake.requests.length - before;
}

const seedStarted = performance.now();
const perDeploy: number[] = [];
for (let i = 0; i < DEPLOYS; i++) {
  clock = since + (i * 30 * DAY) / DEPLOYS;
  const sha = (Math.floor(i / 5) + 1).toString(16).padStart(40, '0');
  github.addCommit(REPO, sha, new Date(clock - 2 * 3_600_000).toISOString());
  const release = `r${i}`;
  const colour = i % 2 ? 'green' : 'blue';
  const head: [EventType, EventFields?][] = [['deploy.started', { image: `shop:${i}` }]];
  if (i % 25 === 24) {
    await record('deploy-blue-green', i, [...head, ['deploy.failed', { message: 'image not found' }]]);
    continue;
  }
  const started: [EventType, EventFields?][] = [
    ...head,
    ['deploy.release_started', { release, colour, image: `shop:${i}`, imageDigest: `sha256:${i}` }],
    ['deploy.healthy', { release, colour }],
    ['deploy.switched', { release, colour }],
  ];
  const end: [EventType, EventFields?][] =
    i % 10 === 9 ? [['deploy.switched_back', { release: `r${i - 1}`, message: 'unhealthy' }], ['deploy.failed']] : [['deploy.succeeded', { release, colour }]];
  const requests = await record('deploy-blue-green', i, [...started, ...end]);
  if (i % 10 !== 9) perDeploy.push(requests);
  if (i % 20 === 3) {
    clock += 20 * 60_000;
    await record('rollback', i, [['rollback.started'], ['rollback.succeeded', { release: `r${i - 1}`, colour: i % 2 ? 'blue' : 'green', durationMs: 120 }]]);
  }
}
const seedMs = performance.now() - seedStarted;

const times: number[] = [];
let requests = 0;
let report: ReturnType<typeof computeDoraMetrics> | undefined;
let records = 0;
for (let run = 0; run < RUNS; run++) {
  const before = fake.requests.length;
  const started = performance.now();
  const history = await readDeploymentRecords(api, { since });
  await addCommitTimes(history, (sha) => api.commitTime(sha));
  report = computeDoraMetrics(history, { since, until });
  times.push(performance.now() - started);
  requests = fake.requests.length - before;
  records = history.length;
}
await fake.stop();

const all = report!.all;
const results = {
  deploys: DEPLOYS,
  recordsRead: records,
  requestsPerReport: requests,
  reportMs: { median: Math.round(quantile(times, 0.5)), max: Math.round(Math.max(...times)) },
  requestsPerSucceededDeploy: { median: quantile(perDeploy, 0.5), max: Math.max(...perDeploy) },
  seedMs: Math.round(seedMs),
  dora: {
    perDay: +all.deploymentFrequency.perDay.toFixed(2),
    changeFailureRate: all.changeFailureRate.rate === null ? null : +all.changeFailureRate.rate.toFixed(2),
    timeToRestoreMedianMs: all.timeToRestore.medianMs,
    leadTimeMedianMs: all.leadTime.medianMs,
  },
};
console.table({
  'history (30 days)': `${DEPLOYS} deploys + rollbacks = ${records} records`,
  'report time (loopback) median / max': `${results.reportMs.median} / ${results.reportMs.max} ms`,
  'requests per report': String(requests),
  'requests to record a succeeded deploy (median / max)': `${results.requestsPerSucceededDeploy.median} / ${results.requestsPerSucceededDeploy.max}`,
  'deploys per day, change failure rate': `${results.dora.perDay}, ${results.dora.changeFailureRate}%`,
});
await writeFile(new URL('./results/metrics.json', import.meta.url), `${JSON.stringify({ ...results, at: new Date().toISOString() }, null, 2)}\n`);
