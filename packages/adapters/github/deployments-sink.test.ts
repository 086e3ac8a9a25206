import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeGitHubApi } from '../../../test/support/fake-github-api.ts';
import { FakeDeployments } from '../../../test/support/fake-github-deployments.ts';
import { eventStamper, type EventFields, type EventType } from '../../core/events/devops-event.ts';
import type { Logger } from '../../core/logger.ts';
import { addCommitTimes } from '../../core/metrics/commit-times.ts';
import { GitHubDeploymentHistory, readDeploymentRecords } from './deployment-history.ts';
import { GitHubDeploymentsApi } from './deployments-api.ts';
import { GitHubDeploymentsSink } from './deployments-sink.ts';

const TOKEN = 'fake-token-for-tests';
const SHA = 'a'.repeat(40);
const fake = new FakeGitHubApi(TOKEN, ['acme/shop']);
const deployments = new FakeDeployments(fake);
let api: GitHubDeploymentsApi;
let clock = 0;

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, debug() {}, info() {}, error() {}, warning: (m) => void warnings.push(m) };
}

/** One action run's events into a fresh sink, as the door wires it; the fake's clock moves a second an event. */
async function run(
  action: string,
  operation: string,
  steps: [EventType, EventFields?][],
  logger = recordingLogger(),
): Promise<Logger & { warnings: string[] }> {
  const sink = new GitHubDeploymentsSink({ api, logger, environmentUrl: 'https://shop.example.com' });
  const strategy = action === 'deploy-canary' ? ('canary' as const) : ('blue_green' as const);
  const shared = { app: 'shop', environment: 'production', strategy, commit: SHA, runUrl: 'https://github.com/acme/shop/actions/runs/7', operation };
  const stamp = eventStamper(action, shared, () => clock);
  for (const [type, fields] of steps) {
    clock += 1000;
    await sink.emit(stamp(type, fields));
  }
  return logger;
}

const deploy = (release: string, colour: string, end: [EventType, EventFields?][]): [EventType, EventFields?][] => [
  ['deploy.started', { image: `shop:${release}` }],
  ['deploy.release_started', { release, colour, image: `shop:${release}`, imageDigest: `sha256:${release}` }],
  ['deploy.healthy', { release, colour }],
  ['deploy.switched', { release, colour }],
  ...end,
];

beforeAll(async () => {
  await fake.start();
  api = new GitHubDeploymentsApi({ token: TOKEN, repository: 'acme/shop', baseUrl: fake.url });
  deployments.addCommit('acme/shop', SHA, '2026-01-01T00:00:00Z');
  deployments.now = () => clock;
});
beforeEach(() => {
  deployments.deployments.clear();
  clock = Date.parse('2026-01-01T01:00:00Z');
});
afterAll(() => fake.stop());

describe('recording in GitHub Deployments through the real Octokit (against a fake of the REST API)', () => {
  it('records a deploy: payload, in_progress → success, the URLs, and the replaced deployment inactive', async () => {
    await run('deploy-blue-green', 'op-1', deploy('r1', 'blue', [['deploy.succeeded', { release: 'r1', colour: 'blue' }]]));
    await run('deploy-blue-green', 'op-2', deploy('r2', 'green', [['deploy.succeeded', { release: 'r2', colour: 'green' }]]));
    const [first, second] = deployments.history('acme/shop');
    expect(second).toMatchObject({
      sha: SHA,
      task: 'deploy',
      environment: 'production',
      production_environment: true,
      payload: { sidhe: 1, operation: 'op-2', kind: 'deploy', app: 'shop', release: 'r2', image: 'shop:r2', imageDigest: 'sha256:r2', strategy: 'blue_green' },
      states: ['in_progress', 'in_progress', 'success'],
    });
    expect(first!.states).toEqual(['in_progress', 'in_progress', 'success', 'inactive']);
    const success = deployments.statuses.get(second!.id)!.at(-1)!;
    expect(success).toMatchObject({
      environment_url: 'https://shop.example.com',
      log_url: 'https://github.com/acme/shop/actions/runs/7',
      description: 'release r2 serves in green',
    });
  });

  it('records a switch-back as a failure with its reason, and a refusal before any release as a failed deployment', async () => {
    await run(
      'deploy-blue-green',
      'op-1',
      deploy('r1', 'blue', [
        ['deploy.switched_back', { release: 'r0', colour: 'green', message: 'unhealthy: 500' }],
        ['deploy.failed', { message: 'deploy failed' }],
      ]),
    );
    await run('deploy-blue-green', 'op-2', [
      ['deploy.started', { image: 'shop:missing' }],
      ['deploy.failed', { message: 'image shop:missing not found' }],
    ]);
    const [switchedBack, refused] = deployments.history('acme/shop');
    expect(switchedBack!.states).toEqual(['in_progress', 'in_progress', 'failure']);
    expect(deployments.statuses.get(switchedBack!.id)!.at(-1)!.description).toBe('switched back: unhealthy: 500');
    expect(refused).toMatchObject({ payload: { kind: 'deploy', image: 'shop:missing' }, states: ['failure'] });
  });

  it('records a canary: in_progress with the weight at each step, success when promoted, failure with the reason when aborted', async () => {
    const canary = (release: string, end: [EventType, EventFields?][]): [EventType, EventFields?][] => [
      ['canary.started', { image: `shop:${release}` }],
      ['deploy.release_started', { release, colour: 'green', image: `shop:${release}`, imageDigest: `sha256:${release}` }],
      ['deploy.healthy', { release, colour: 'green' }],
      ['canary.step', { release, colour: 'green', weight: 10 }],
      ...end,
    ];
    await run(
      'deploy-canary',
      'op-1',
      canary('r1', [
        ['canary.step', { release: 'r1', colour: 'green', weight: 100 }],
        ['canary.promoted', { release: 'r1', colour: 'green', weight: 100 }],
      ]),
    );
    await run('deploy-canary', 'op-2', canary('r2', [['canary.aborted', { release: 'r2', colour: 'green', weight: 0, message: 'error rate 5.1% vs 0.1%' }]]));
    const [promoted, aborted] = deployments.history('acme/shop');
    expect(promoted).toMatchObject({ payload: { strategy: 'canary', release: 'r1' }, states: ['in_progress', 'in_progress', 'in_progress', 'success'] });
    expect(deployments.statuses.get(promoted!.id)!.map((s) => s.description)).toEqual([
      'release r1 starting in green',
      'traffic switched to green: canary at 10%',
      'traffic switched to green: canary at 100%',
      'release r1 serves in green',
    ]);
    expect(aborted!.states).toEqual(['in_progress', 'in_progress', 'failure']);
    expect(deployments.statuses.get(aborted!.id)!.at(-1)!.description).toBe('canary aborted: error rate 5.1% vs 0.1%');
    const records = await readDeploymentRecords(api, { since: 0 });
    expect(records.find((r) => r.id === 'op-2')).toMatchObject({ strategy: 'canary', outcome: 'switched_back' });
  });

  it('records a later run that promotes a paused canary as a deployment of it', async () => {
    await run('deploy-canary', 'op-5', [['canary.promoted', { release: 'r5', colour: 'blue', image: 'shop:r5', weight: 100 }]]);
    expect(deployments.history('acme/shop')).toMatchObject([
      { payload: { kind: 'deploy', strategy: 'canary', release: 'r5' }, states: ['in_progress', 'success'] },
    ]);
  });

  it('records a rollback with task deploy:rollback', async () => {
    await run('rollback', 'op-3', [['rollback.started'], ['rollback.succeeded', { release: 'r1', colour: 'blue', image: 'shop:r1', durationMs: 90 }]]);
    expect(deployments.history('acme/shop')).toMatchObject([
      { task: 'deploy:rollback', payload: { kind: 'rollback', release: 'r1' }, states: ['in_progress', 'success'] },
    ]);
  });

  it('warns once and records nothing more when GitHub refuses the token', async () => {
    const refused = new GitHubDeploymentsApi({ token: 'read-only', repository: 'acme/shop', baseUrl: fake.url });
    const logger = recordingLogger();
    const sink = new GitHubDeploymentsSink({ api: refused, logger });
    const stamp = eventStamper('deploy-blue-green', { app: 'shop', environment: 'production', commit: SHA }, () => clock);
    for (const [type, fields] of deploy('r1', 'blue', [['deploy.succeeded', { release: 'r1', colour: 'blue' }]])) await sink.emit(stamp(type, fields));
    expect(logger.warnings).toEqual([
      expect.stringMatching(/^GitHub Deployments: not recorded from here on: creating a deployment .* HTTP 401: Bad credentials; the token was refused/),
    ]);
  });
});

describe('reading the history back', () => {
  it('finds the release before the live one, skipping failed deploys', async () => {
    await run('deploy-blue-green', 'op-1', deploy('r1', 'blue', [['deploy.succeeded', { release: 'r1', colour: 'blue' }]]));
    await run('deploy-blue-green', 'op-2', deploy('r2', 'green', [['deploy.switched_back', { release: 'r1', colour: 'blue' }]]));
    await run('deploy-blue-green', 'op-3', deploy('r3', 'green', [['deploy.succeeded', { release: 'r3', colour: 'green' }]]));
    const history = new GitHubDeploymentHistory(api);
    expect(await history.previousRelease({ app: 'shop', environment: 'production', current: 'r3' })).toMatchObject({
      release: 'r1',
      image: 'shop:r1',
      commit: SHA,
    });
    expect(await history.previousRelease({ app: 'shop', environment: 'production' })).toMatchObject({ release: 'r1' });
    expect(await history.previousRelease({ app: 'shop', environment: 'production', current: 'r1' })).toMatchObject({ release: 'r3' });
    expect(await history.previousRelease({ app: 'cart', environment: 'production' })).toBeUndefined();
  });

  it('skips a re-deploy of the live image: it is not what served before', async () => {
    await run('deploy-blue-green', 'op-1', deploy('r1', 'blue', [['deploy.succeeded', { release: 'r1', colour: 'blue' }]]));
    await run('deploy-blue-green', 'op-2', deploy('r2', 'green', [['deploy.succeeded', { release: 'r2', colour: 'green' }]]));
    const again = deploy('r3', 'blue', [['deploy.succeeded', { release: 'r3', colour: 'blue' }]]).map(([type, fields]): [EventType, EventFields?] => [
      type,
      { ...fields, ...(fields?.image ? { image: 'shop:r2', imageDigest: 'sha256:r2' } : {}) },
    ]);
    await run('deploy-blue-green', 'op-3', again);
    const history = new GitHubDeploymentHistory(api);
    expect(await history.previousRelease({ app: 'shop', environment: 'production', current: 'r3' })).toMatchObject({ release: 'r1' });
  });

  it('reads records with outcome, switch and end times, and the commit time', async () => {
    await run('deploy-blue-green', 'op-1', deploy('r1', 'blue', [['deploy.succeeded', { release: 'r1', colour: 'blue' }]]));
    await run('deploy-blue-green', 'op-2', deploy('r2', 'green', [['deploy.switched_back', { release: 'r1', colour: 'blue' }], ['deploy.failed']]));
    await run('deploy-blue-green', 'op-3', [
      ['deploy.started', { image: 'shop:x' }],
      ['deploy.failed', { message: 'no image' }],
    ]);
    const records = await readDeploymentRecords(api, { since: 0 });
    await addCommitTimes(records, (sha) => api.commitTime(sha));
    const t = (s: number): number => Date.parse('2026-01-01T01:00:00Z') + s * 1000;
    expect(records).toEqual([
      {
        id: 'op-3',
        app: 'shop',
        environment: 'production',
        kind: 'deploy',
        strategy: 'blue_green',
        commit: SHA,
        startedAt: t(13),
        finishedAt: t(13),
        outcome: 'refused',
      },
      {
        id: 'op-2',
        app: 'shop',
        environment: 'production',
        kind: 'deploy',
        strategy: 'blue_green',
        release: 'r2',
        commit: SHA,
        startedAt: t(7),
        switchedAt: t(9),
        finishedAt: t(10),
        outcome: 'switched_back',
      },
      {
        id: 'op-1',
        app: 'shop',
        environment: 'production',
        kind: 'deploy',
        strategy: 'blue_green',
        release: 'r1',
        commit: SHA,
        committedAt: Date.parse('2026-01-01T00:00:00Z'),
        startedAt: t(2),
        switchedAt: t(4),
        finishedAt: t(5),
        outcome: 'succeeded',
      },
    ]);
  });
});
