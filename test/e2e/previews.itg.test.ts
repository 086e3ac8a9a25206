import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBundle, type BundleRun } from '../harness/run-bundle.ts';
import { buildImages, docker, removeImages, type Variant } from '../support/blue-green-fixture.ts';
import { FakeGitHubApi } from '../support/fake-github-api.ts';
import { FakeIssueComments } from '../support/fake-github-comments.ts';
import { FakeDeployments } from '../support/fake-github-deployments.ts';
import { freePort } from '../support/local-servers.ts';
import { startNginx, type NginxProcess } from '../support/nginx-process.ts';
import { DOCKER_HOST } from '../support/services.ts';

const TOKEN = 'fake-token-for-tests';
const REPO = 'acme/shop';
const SHA = 'a'.repeat(40);
const app = `pv${process.pid}`;
const fake = new FakeGitHubApi(TOKEN, [REPO]);
const github = new FakeDeployments(fake);
const comments = new FakeIssueComments(fake);

let images: Record<Variant, string>;
let nginx: NginxProcess;
let workspace: string;
let first: number;

beforeAll(async () => {
  await fake.start();
  github.addCommit(REPO, SHA, new Date().toISOString());
  images = await buildImages(`sidhe-itg-pv-${process.pid}`, ['v1', 'v2']);
  nginx = await startNginx({ servers: [{ name: 'blue' }, { name: 'green' }], previews: true });
  first = await freePort();
  workspace = mkdtempSync(path.join(os.tmpdir(), 'sidhe-previews-ws-'));
  mkdirSync(path.join(workspace, '.sidhe'));
  writeFileSync(
    path.join(workspace, '.sidhe', 'devops.yaml'),
    [
      'deployment_strategies:',
      '  production: { strategy: blue_green }',
      'previews:',
      `  ports: ${first}-${first + 3}`,
      '  host: pr-{number}.preview.test',
      '  url: http://{host}',
      `  listen: ${nginx.previews!.listen}`,
      '  max_count: 3',
      '',
    ].join('\n'),
  );
}, 180_000);

afterAll(async () => {
  await nginx?.stop();
  const listed = await docker('ps', '-aq', '--filter', `name=sidhe-${app}.`);
  const ids = listed.stdout.split('\n').filter(Boolean);
  if (ids.length) await docker('rm', '-f', ...ids);
  await removeImages(images);
  await fake.stop();
});

/** What the runner sets for a pull request's workflow run; the fake's URL is known once it started. */
const runner = () => ({
  DOCKER_HOST,
  GITHUB_API_URL: fake.url,
  GITHUB_REPOSITORY: REPO,
  GITHUB_SHA: SHA,
  GITHUB_RUN_ID: '77',
  GITHUB_SERVER_URL: 'https://github.com',
});
const shared = { app, 'preview-router-endpoint': '', 'github-token': TOKEN, 'health-timeout': '60s' };
const deploy = (number: number, image: string) =>
  runBundle(
    '',
    { command: 'deploy', ...shared, 'preview-router-endpoint': nginx.previews!.endpoint, environment: `pr-${number}`, image },
    { workspace, env: runner() },
  );
const teardown = (number: number) =>
  runBundle('', { command: 'teardown', ...shared, 'preview-router-endpoint': nginx.previews!.endpoint, preview: String(number) }, { workspace, env: runner() });

/** What nginx answers for a preview's host name, on loopback (fetch cannot set Host: node:http can). */
function through(number: number): Promise<string> {
  return new Promise((resolve) => {
    const request = http.get(`${nginx.previews!.url}/version`, { headers: { Host: `pr-${number}.preview.test` } }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve(response.statusCode === 200 ? body.trim() : `HTTP ${response.statusCode}`));
    });
    request.on('error', (error) => resolve(`error: ${error.message}`));
  });
}

const previewDeployments = (environment: string) => github.history(REPO).filter((d) => d.environment === environment);

type Deployments = ReturnType<typeof previewDeployments>;

/**
 * Previews' lives, told once before the tests: three opened, one torn down, two more opened beyond
 * max_count. Each test reads its chapter (the runs, what nginx answered for each preview right after,
 * GitHub's record): none changes anything, so they hold in any order.
 */
const story = {} as {
  opened: BundleRun[];
  afterOpened: { through: string[]; pr2: Deployments; pr2Status: unknown; pr2Comments: string[] };
  torn: BundleRun;
  afterTorn: { through: string[]; containers: string; pr1: Deployments; pr2: Deployments };
  fourth: BundleRun;
  fifth: BundleRun;
  afterMore: { through: string[]; pr1: Deployments };
};

beforeAll(async () => {
  story.opened = [await deploy(1, images.v1), await deploy(2, images.v2), await deploy(3, images.v1)];
  const pr2 = previewDeployments('pr-2');
  story.afterOpened = {
    through: [await through(1), await through(2), await through(3)],
    pr2,
    pr2Status: pr2[0] && github.statuses.get(pr2[0].id)?.at(-1),
    pr2Comments: comments.on(REPO, 2),
  };
  story.torn = await teardown(2);
  story.afterTorn = {
    through: [await through(1), await through(2), await through(3)],
    containers: (await docker('ps', '-aq', '--filter', `name=sidhe-${app}.pr-2-`)).stdout.trim(),
    pr1: previewDeployments('pr-1'),
    pr2: previewDeployments('pr-2'),
  };
  story.fourth = await deploy(4, images.v2);
  story.fifth = await deploy(5, images.v2);
  story.afterMore = { through: [await through(1), await through(3), await through(4), await through(5)], pr1: previewDeployments('pr-1') };
}, 700_000);

describe('pull-request previews through the root action: own ports, nginx server blocks, GitHub', () => {
  it('runs three previews at once, each on its own port and host name, recorded as transient GitHub deployments', () => {
    const runs = story.opened;
    for (const run of runs) expect(run.exitCode, run.stdout).toBe(0);
    expect(runs.map((r) => Number(r.outputs.port))).toEqual([first, first + 1, first + 2]);
    expect(runs[1]!.outputs.url).toBe('http://pr-2.preview.test');
    expect(runs[1]!.summary).toContain('Preview pr-2: a pull request');
    expect(runs[1]!.summary).toContain(`✅ preview pr-2 at http://pr-2.preview.test (port ${first + 1}, host pr-2.preview.test)`);
    expect(story.afterOpened.through).toEqual(['1.0.0', '2.0.0', '1.0.0']);

    const [deployment] = story.afterOpened.pr2;
    expect(deployment).toMatchObject({ transient_environment: true, production_environment: false });
    expect(deployment!.states.at(-1)).toBe('success');
    expect(story.afterOpened.pr2Status).toMatchObject({ environment_url: 'http://pr-2.preview.test' });
    expect(story.afterOpened.pr2Comments).toEqual([expect.stringContaining('Preview of this pull request: http://pr-2.preview.test')]);
  });

  it('tears one preview down, leaving the others untouched, and marks its GitHub deployments inactive', () => {
    const run = story.torn;
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs.removed).toBe(`sidhe-${app}.pr-2-blue`);
    expect(story.afterTorn.through).toEqual(['1.0.0', 'HTTP 404', '1.0.0']);
    expect(story.afterTorn.containers).toBe('');
    expect(story.afterTorn.pr2.map((d) => d.states.at(-1))).toEqual(['inactive']);
    expect(story.afterTorn.pr1.map((d) => d.states.at(-1))).toEqual(['success']);
  });

  it('tears the oldest down when a new preview goes beyond previews.max_count', () => {
    const { fourth, fifth } = story;
    expect(fourth.exitCode, fourth.stdout).toBe(0);
    expect(fourth.outputs).toMatchObject({ port: String(first + 1), retired: '' });
    expect(fifth.exitCode, fifth.stdout).toBe(0);
    expect(fifth.outputs).toMatchObject({ port: String(first), retired: 'pr-1' });
    expect(fifth.summary).toContain('torn down first: pr-1 (beyond previews.max_count (3))');
    expect(story.afterMore.through).toEqual(['HTTP 404', '1.0.0', '2.0.0', '2.0.0']);
    expect(story.afterMore.pr1.map((d) => d.states.at(-1))).toEqual(['inactive']);
  });

  it('refuses a teardown of an environment that is not a preview', async () => {
    const run = await runBundle(
      '',
      { command: 'teardown', ...shared, 'preview-router-endpoint': nginx.previews!.endpoint, environment: 'production' },
      { workspace, env: runner() },
    );
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toBe(
      'teardown failed: environment: "production" is not valid; teardown removes previews only: give pr-<number>, or the preview input',
    );
  });
});
