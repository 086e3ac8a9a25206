import { cpSync, mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBundle, type BundleRun } from '../harness/run-bundle.ts';
import { blueGreenBed, buildImages, removeImages, type BlueGreenBed, type Variant } from '../support/blue-green-fixture.ts';
import { FakeGitHubApi } from '../support/fake-github-api.ts';
import { FakeDeployments } from '../support/fake-github-deployments.ts';
import { REDIS_URL } from '../support/services.ts';

const TOKEN = 'fake-token-for-tests';
const REPO = 'acme/shop';
const SHA = { v1: '1'.repeat(40), v2: '2'.repeat(40) };
const fake = new FakeGitHubApi(TOKEN, [REPO]);
const github = new FakeDeployments(fake);
let images: Record<Variant, string>;
let bed: BlueGreenBed;
let runId = 100;

/** What the runner sets for a workflow run of acme/shop on the given commit. */
const runner = (sha: string): Record<string, string> => ({
  GITHUB_API_URL: fake.url,
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_REPOSITORY: REPO,
  GITHUB_RUN_ID: String(++runId),
  GITHUB_SHA: sha,
});
const recording = { 'github-token': TOKEN, 'environment-url': 'https://shop.example.com', 'events-redis-url': REDIS_URL };
const history = () => github.history(REPO);

type History = ReturnType<typeof history>;

/**
 * One app's history, told once before the tests: v1 then v2 recorded, a deploy refused by its quality
 * gates, the host rebuilt with v2 afresh and rolled back from GitHub's record alone, a deploy without a
 * token. Each test reads its chapter (the runs, GitHub's record and what served right after): none
 * changes anything, so they hold in any order.
 */
const story = {} as {
  first: BundleRun;
  second: BundleRun;
  /** GitHub's record after the second deploy, and the status the second got last. */
  afterSecond: { history: History; lastStatus: unknown; runId: number };
  gated: BundleRun;
  afterGated: { history: History; version: string };
  fresh: BundleRun;
  back: BundleRun;
  afterBack: { history: History; version: string };
  tokenless: BundleRun;
  afterTokenless: { version: string };
};

beforeAll(async () => {
  await fake.start();
  const now = Date.now();
  github.addCommit(REPO, SHA.v1, new Date(now - 2 * 3_600_000).toISOString());
  github.addCommit(REPO, SHA.v2, new Date(now - 3_600_000).toISOString());
  images = await buildImages(`sidhe-itg-gh-${process.pid}`, ['v1', 'v2']);
  bed = await blueGreenBed('haproxy', `gh${process.pid}`);

  story.first = await bed.deploy(images.v1, recording, { env: runner(SHA.v1) });
  story.second = await bed.deploy(images.v2, recording, { env: runner(SHA.v2) });
  const afterSecond = history();
  story.afterSecond = { history: afterSecond, lastStatus: github.statuses.get(afterSecond.at(-1)!.id)?.at(-1), runId };

  const workspace = mkdtempSync(path.join(os.tmpdir(), 'sidhe-gh-'));
  mkdirSync(path.join(workspace, 'test-results'));
  cpSync(path.resolve(import.meta.dirname, '../fixtures/reports/junit/vitest.xml'), path.join(workspace, 'test-results/vitest.xml'));
  story.gated = await bed.deploy(images.v1, { ...recording, 'quality-gates': 'junit: test-results/*.xml' }, { workspace, env: runner(SHA.v1) });
  story.afterGated = { history: history(), version: await bed.version() };

  // A rebuilt host: no containers, then v2 deployed afresh, so nothing on it names v1.
  await bed.reset();
  story.fresh = await bed.deploy(images.v2, recording, { env: runner(SHA.v2) });
  story.back = await bed.rollback(recording, { env: runner(SHA.v2) });
  story.afterBack = { history: history(), version: await bed.version() };

  story.tokenless = await bed.deploy(images.v2, { 'events-redis-url': REDIS_URL, 'github-token': '' });
  story.afterTokenless = { version: await bed.version() };
}, 300_000);
afterAll(async () => {
  await bed?.cleanup();
  await removeImages(images);
  await fake.stop();
});

describe('deploys and rollbacks recorded in GitHub Deployments (a fake of the REST API), with metrics over them', () => {
  it('records each deploy with its payload and statuses, and marks the replaced one inactive', () => {
    const { first, second } = story;
    expect(first.exitCode, first.stdout).toBe(0);
    expect(second.exitCode, second.stdout).toBe(0);

    const [d1, d2] = story.afterSecond.history;
    expect(d2).toMatchObject({
      sha: SHA.v2,
      task: 'deploy',
      environment: bed.environment,
      payload: {
        sidhe: 1,
        kind: 'deploy',
        app: bed.app,
        release: second.outputs.release,
        image: images.v2,
        imageDigest: expect.stringMatching(/^sha256:/),
        strategy: 'blue_green',
      },
      states: ['in_progress', 'in_progress', 'success'],
    });
    expect(d1).toMatchObject({ payload: { release: first.outputs.release }, states: ['in_progress', 'in_progress', 'success', 'inactive'] });
    expect(story.afterSecond.lastStatus).toMatchObject({
      environment_url: 'https://shop.example.com',
      log_url: `https://github.com/${REPO}/actions/runs/${story.afterSecond.runId}`,
    });
  });

  it('refuses a deploy whose quality gates fail: nothing moves, and the refusal is recorded', () => {
    const run = story.gated;
    expect(run.exitCode).toBe(1);
    expect(run.errors.at(-1)).toMatch(
      /^deploy-blue-green failed: quality gates for itg failed \(max-failed-tests 3 \(threshold 0\)\): nothing was deployed and traffic was not touched$/,
    );
    expect(run.summary).toContain('Quality gate for itg: ❌ failed');
    expect(story.afterGated.version).toBe('2.0.0');
    expect(story.afterGated.history.at(-1)).toMatchObject({ payload: { kind: 'deploy', image: images.v1 }, states: ['failure'] });
  });

  it('rolls back from the GitHub history when the host has lost every record of the previous release', () => {
    const { fresh, back } = story;
    expect(fresh.exitCode, fresh.stdout).toBe(0);
    expect(fresh.outputs['previous-release']).toBe('');

    expect(back.exitCode, back.stdout).toBe(0);
    expect(back.stdout).toMatch(/records no previous release; GitHub Deployments of acme\/shop names r\d{14}-[0-9a-f]{12} \(.*:v1\)/);
    expect(back.outputs.release).toBe(story.first.outputs.release);
    expect(story.afterBack.version).toBe('1.0.0');
    expect(story.afterBack.history.at(-1)).toMatchObject({
      task: 'deploy:rollback',
      payload: { kind: 'rollback', release: back.outputs.release },
      states: ['in_progress', 'in_progress', 'success'],
    });
  });

  it('says what it skipped without a token, and still deploys', () => {
    const run = story.tokenless;
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.stdout).toContain('GitHub Deployments: skipped, no github-token and no GITHUB_REPOSITORY and no GITHUB_SHA: this run is not recorded there');
    expect(story.afterTokenless.version).toBe('2.0.0');
  });

  it('computes the DORA four through the root action, from GitHub and the event bus, counting each run once', async () => {
    const run = await runBundle(
      '',
      { command: 'metrics', timeframe: '1d', app: bed.app, 'github-token': TOKEN, 'events-redis-url': REDIS_URL },
      { env: runner(SHA.v2) },
    );
    expect(run.exitCode, run.stdout).toBe(0);
    const results = JSON.parse(run.outputs.results!) as { all: Record<string, unknown> };
    // GitHub: v1, v2, the gated refusal, v2 afresh, the rollback; the event bus adds the token-less deploy.
    expect(results.all).toMatchObject({ deploys: 5, succeeded: 4, refused: 1, rollbacks: 1 });
    // The rollback counts against v2 afresh: one failure among the 4 deploys that reached traffic.
    expect(results.all.changeFailureRate).toMatchObject({ failures: 1, reachedTraffic: 4, rate: 25 });
    expect(Number(run.outputs['change-failure-rate'])).toBe(25);
    expect(Number(run.outputs['time-to-restore-ms'])).toBeGreaterThan(0);
    expect(Number(run.outputs['lead-time-ms'])).toBeGreaterThan(3_600_000);
    expect(run.summary).toContain('Deployment metrics (DORA)');
    expect(run.summary).toContain('```mermaid');
  });

  it.each([
    [
      {},
      'metrics failed: metrics needs a deploy history: github-token with GITHUB_REPOSITORY (GitHub Deployments), or events-redis-url (the event bus); neither was given',
    ],
    [
      { timeframe: 'a month', 'events-redis-url': REDIS_URL },
      'metrics failed: timeframe: "a month" is not valid; use a number with a unit: ms, s, m, h or d (e.g. 500ms, 30s, 5m, 1h, 7d)',
    ],
    [{ 'events-redis-url': 'redis://127.0.0.1:1' }, /^metrics failed: cannot read the event stream at redis:\/\/127\.0\.0\.1:1: /],
  ])('names what is missing or wrong: %j', async (inputs, message) => {
    const run = await runBundle('', { command: 'metrics', ...inputs });
    expect(run.exitCode).toBe(1);
    expect(run.errors.at(-1)).toMatch(message);
  });
});
