import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../packages/adapters/process/run-command.ts';
import { runBundle, type BundleRun } from '../harness/run-bundle.ts';
import { blueGreenBed, buildImages, removeImages, type BlueGreenBed, type Variant } from '../support/blue-green-fixture.ts';
import { FakeGitHubApi } from '../support/fake-github-api.ts';
import { FakeDeployments } from '../support/fake-github-deployments.ts';
import { LocalServers, reply } from '../support/local-servers.ts';

// Secrets planted in every input that can hold one; each is unique, so a hit names the leak.
const SECRET = {
  env: 'envS3cret-Q7xv2',
  envFile: 'fileS3cret-K9pw4',
  token: 'ghs_tokenS3cret-Z5mn8',
  redis: 'redisS3cret-J3ty6',
  target: 'targetS3cret-H2qa1',
  // Unencoded / # ? in a URL password: URL parsers split it wrongly; it must be masked all the same.
  prometheus: 'promS3cret/with#and?x',
} as const;
const REDIS_USER = `sidhe-itg-${process.pid}`;
const REDIS_PORT = 16379;
const REPO = 'acme/shop';
const SHA = '3'.repeat(40);

const fake = new FakeGitHubApi(SECRET.token, [REPO]);
const github = new FakeDeployments(fake);
const servers = new LocalServers();
let images: Record<Variant, string>;
let bed: BlueGreenBed;

const redisCli = (...args: string[]) => runCommand('redis-cli', ['-h', '127.0.0.1', '-p', String(REDIS_PORT), ...args]);
const streamDump = async (): Promise<string> => (await redisCli('XRANGE', 'sidhe:devops:events', '-', '+')).stdout;

/**
 * Every sink a run writes to, as one text: log and annotations, stderr, summary, outputs, and the files
 * outputs name. `::add-mask::` lines are the runner's own channel for secrets: it takes them out of the log.
 */
function sinks(run: BundleRun): string {
  const log = run.stdout
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
  const files = Object.values(run.outputs)
    .filter((value) => value.startsWith('/') && value.endsWith('.json'))
    .map((file) => readFileSync(file, 'utf8'));
  return [log, run.stderr, run.summary, JSON.stringify(run.outputs), JSON.stringify(run.state), ...files].join('\n');
}

function expectNoSecret(text: string, where: string): void {
  for (const [name, secret] of Object.entries(SECRET)) {
    expect(text.includes(secret), `${name} secret leaked into ${where}`).toBe(false);
  }
}

beforeAll(async () => {
  await fake.start();
  github.addCommit(REPO, SHA, new Date().toISOString());
  const acl = await redisCli('ACL', 'SETUSER', REDIS_USER, 'reset', 'on', `>${SECRET.redis}`, '~*', '&*', '+@all');
  expect(acl.stdout.trim()).toBe('OK');
  images = await buildImages(`sidhe-itg-secrets-${process.pid}`, ['leaky']);
  bed = await blueGreenBed('haproxy', `sec${process.pid}`);
});
afterAll(async () => {
  await redisCli('ACL', 'DELUSER', REDIS_USER);
  await bed?.cleanup();
  await servers.closeAll();
  if (images) await removeImages(images);
  await fake.stop();
});

describe('no secret leaves masked, whatever sink a message reaches', () => {
  it('a release that prints its environment and exits: not in the log, summary, outputs, events or GitHub statuses', async () => {
    const workspace = mkdtempSync(path.join(os.tmpdir(), 'sidhe-secrets-ws-'));
    writeFileSync(path.join(workspace, 'service.env'), `API_KEY=${SECRET.envFile}\n`);
    const streamBefore = await streamDump();
    const run = await bed.deploy(
      images.leaky,
      {
        env: `DATABASE_URL=postgres://shop:${SECRET.env}@db.internal/shop`,
        'env-file': 'service.env',
        'github-token': SECRET.token,
        'events-redis-url': `redis://${REDIS_USER}:${encodeURIComponent(SECRET.redis)}@127.0.0.1:${REDIS_PORT}`,
        'environment-url': 'https://shop.example.com',
      },
      { workspace, env: { GITHUB_API_URL: fake.url, GITHUB_REPOSITORY: REPO, GITHUB_SHA: SHA, GITHUB_RUN_ID: '9001' } },
    );

    expect(run.exitCode, run.stdout).toBe(1);
    // The leak path was taken: the failure quotes the container's lines, with the values masked.
    expect(run.stdout).toMatch(/exited at start with exit code 3: .*DATABASE_URL=\*\*\*/);
    expect(run.stdout).toMatch(/API_KEY=\*\*\*/);
    expectNoSecret(sinks(run), 'the runner files and log');

    const stream = (await streamDump()).slice(streamBefore.length);
    expect(stream).toContain('deploy.failed');
    expectNoSecret(stream, 'the Redis event stream');

    const recorded = JSON.stringify(github.history(REPO));
    expect(recorded).toContain('failure');
    expectNoSecret(recorded, 'GitHub Deployments');
  });

  it('health-check refuses credentials in a target without printing them', async () => {
    const base = await servers.http(reply(200, 'ok'));
    const run = await runBundle('health-check', { targets: `${base.replace('http://', `http://probe:${SECRET.target}@`)}/health` });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('leave credentials out of a target URL');
    expectNoSecret(sinks(run), 'health-check');
  });

  it('health-check: credentials in prometheus-url stay out of the log, summary, outputs and report', async () => {
    const base = await servers.http(reply(200, 'ok'));
    const run = await runBundle('health-check', {
      targets: `${base}/health`,
      'prometheus-url': `http://admin:${encodeURIComponent(SECRET.prometheus)}@127.0.0.1:1`,
      'prometheus-queries': 'up > 0',
      timeout: '3s',
      interval: '1s',
    });
    expect(run.exitCode).toBe(1);
    expect(run.outputs['report-path']).toBeTruthy();
    expectNoSecret(sinks(run), 'health-check');
    expect(sinks(run)).not.toContain(encodeURIComponent(SECRET.prometheus));
  });

  it('a URL input refused as invalid is not printed with its password, even holding / # ?', async () => {
    const run = await bed.deploy('sidhe-never-pulled:1', { 'events-redis-url': `redis://ops:${SECRET.prometheus}@bad host:6379` });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/events-redis-url: "redis:\/\/ops:\*\*\*@bad host:6379" is not valid/);
    expectNoSecret(sinks(run), 'the refusal');
  });

  it('the CLI masks what it prints in a terminal', async () => {
    const cli = await runCommand(
      process.execPath,
      ['dist/cli.js', 'health-check', '--targets', `http://probe:${SECRET.target}@127.0.0.1:1/health`, '--timeout', '2s', '--interval', '1s'],
      {
        cwd: path.resolve(import.meta.dirname, '../..'),
      },
    );
    expect(cli.exitCode).toBe(1);
    expect(`${cli.stdout}${cli.stderr}`).toContain('***@127.0.0.1:1');
    expectNoSecret(`${cli.stdout}${cli.stderr}`, 'the terminal');
  });
});
