// .github/workflows/pipeline.yml's steps, in its order, through the committed bundles against the local
// Docker engine, registry and HAProxy: a workflow that no longer fits the actions fails here.
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHARED_REGISTRY } from '../../packages/adapters/registry/testing/local-registry.ts';
import { runWorkflow, type WorkflowRun } from '../harness/run-workflow.ts';
import { runCommand } from '../../packages/adapters/process/run-command.ts';
import { docker, dockerEnv } from '../support/blue-green-fixture.ts';
import { startHaproxy, type HaproxyProcess } from '../support/haproxy-process.ts';
import { freePort } from '../support/local-servers.ts';
import { DOCKER_HOST } from '../support/services.ts';

const repo = path.resolve(import.meta.dirname, '../..');
const app = `wfpipe${process.pid}`;
const image = `${SHARED_REGISTRY}/wt-workflows-${process.pid}/${app}`;
const CONFIG = `
devops_automator:
  docker:
    registry: ${SHARED_REGISTRY}
    image_scanning: false
  deployment:
    blue_green:
      health_check_timeout: 20s
      traffic_switch_delay: 0s   # no observation window: on a loaded shared machine a slow docker inspect reads as unhealthy
deployment_strategies:
  staging:
    strategy: blue_green
  production:
    strategy: blue_green
`;

let proxy: HaproxyProcess;
let inputs: Record<string, string>;
const built: string[] = [];
const workspaces: string[] = [];

/** A checkout of the sample service, its tests' reports beside it. */
function checkout(healthy: boolean): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wt-workflows-pipeline-'));
  workspaces.push(dir);
  cpSync(path.join(repo, 'examples/sample-service'), dir, { recursive: true });
  copyFileSync('/bin/busybox', path.join(dir, 'busybox'));
  // A longer HEALTHCHECK timeout than the sample's 1 s: on two shared cores a healthy busybox can be slower.
  const dockerfile = readFileSync(path.join(dir, 'Dockerfile'), 'utf8').replace('--timeout=1s', '--timeout=5s');
  writeFileSync(path.join(dir, 'Dockerfile'), healthy ? dockerfile : dockerfile.replace('ARG HEALTHY=true', 'ARG HEALTHY=false'));
  cpSync(path.join(repo, 'test/fixtures/reports/junit'), path.join(dir, 'test-results'), { recursive: true });
  mkdirSync(path.join(dir, '.sidhe'));
  writeFileSync(path.join(dir, '.sidhe', 'devops.yaml'), CONFIG);
  return dir;
}

async function pipeline(sha: string, healthy: boolean): Promise<WorkflowRun> {
  built.push(`${image}:${sha}`);
  const workspace = checkout(healthy);
  return runWorkflow('pipeline.yml', { inputs, github: { sha } }, { workspace, env: { DOCKER_HOST, GITHUB_SHA: sha, GITHUB_REF: 'refs/heads/main' } });
}

async function version(): Promise<string> {
  const response = await fetch(`${proxy.url}/version`).catch((error: Error) => error);
  return response instanceof Error ? `error: ${response.message}` : (await response.text()).trim();
}

beforeAll(async () => {
  proxy = await startHaproxy({ backend: `${app}-production`, extraBackends: [`${app}-staging`], servers: [{ name: 'blue' }, { name: 'green' }] });
  inputs = {
    app,
    image,
    registry: SHARED_REGISTRY,
    'router-endpoint': proxy.endpoint,
    'staging-ports': `${await freePort()},${await freePort()}`,
    'production-ports': `${await freePort()},${await freePort()}`,
    'production-url': `${proxy.url}/health`,
    junit: 'test-results/surefire/*EmptyCartTest.xml',
  };
}, 60_000);

afterAll(async () => {
  await proxy?.stop();
  const listed = await docker('ps', '-aq', '--filter', `name=sidhe-${app}.`);
  const ids = listed.stdout.split('\n').filter(Boolean);
  if (ids.length) await docker('rm', '-f', ...ids);
  if (built.length) await docker('rmi', '-f', ...built);
  for (const dir of workspaces) rmSync(dir, { recursive: true, force: true });
});

/**
 * One repository's life, told once before the tests: a healthy commit through the whole pipeline, an
 * unhealthy one stopped in staging, then a manual deploy of another release and a rollback through
 * deploy.yml. Each test reads its chapter (the runs and what production served right after): none
 * changes anything, so they hold in any order.
 */
const story = {} as {
  healthy: WorkflowRun;
  afterHealthy: string;
  unhealthy: WorkflowRun;
  afterUnhealthy: string;
  deployed: WorkflowRun;
  afterDeployed: string;
  rolled: WorkflowRun;
  afterRolled: string;
};

beforeAll(async () => {
  story.healthy = await pipeline('1111111111111111111111111111111111111111', true);
  story.afterHealthy = await version();
  story.unhealthy = await pipeline('2222222222222222222222222222222222222222', false);
  story.afterUnhealthy = await version();

  const operate = (operation: string, release: string) =>
    runWorkflow(
      'deploy.yml',
      {
        inputs: { operation, app, environment: 'production', release, 'router-endpoint': proxy.endpoint, ports: inputs['production-ports']!, reason: 'e2e' },
      },
      { workspace: checkout(true), env: { DOCKER_HOST } },
    );
  const v2 = `wt-workflows-${process.pid}-sample:v2`;
  built.push(v2);
  const build = await runCommand('bash', ['scripts/build-sample-image.sh', v2, '2.0.0'], { env: dockerEnv, cwd: repo });
  expect(build.exitCode, build.stderr).toBe(0);
  story.deployed = await operate('deploy', v2);
  story.afterDeployed = await version();
  story.rolled = await operate('rollback', '');
  story.afterRolled = await version();
}, 1_500_000);

describe('the reusable workflows, step by step through the committed bundles', () => {
  it('gates, builds and pushes, deploys staging, then production, and checks production through HAProxy', () => {
    const run = story.healthy;
    const failed = run.steps.filter((s) => s.run.exitCode !== 0).map((s) => `${s.job} ${s.uses}: ${s.run.errors.join(' ')}\n${s.run.stdout.slice(-2000)}`);
    expect(failed).toEqual([]);
    expect(run.jobs).toEqual({ 'quality-gate': 'success', build: 'success', staging: 'success', production: 'success' });
    expect(run.steps.map((s) => `${s.job}:${s.uses.replace(/@v1$/, '')}`)).toEqual([
      'quality-gate:sidhe/devops/quality-gate',
      'build:sidhe/devops/build-scan-image',
      'staging:sidhe/devops',
      'production:sidhe/devops',
      'production:sidhe/devops/health-check',
    ]);
    const deployed = productionDeploy(run);
    expect(deployed.inputs.image).toBe(`${image}:1111111111111111111111111111111111111111`);
    expect(deployed.run.summary).toContain('blue_green');
    expect(story.afterHealthy).toBe('dev');
    for (const step of run.steps) expect(step.run.summary, step.uses).not.toBe('');
  });

  it('refuses a release that never gets healthy in staging: production is skipped and keeps serving', () => {
    const run = story.unhealthy;
    expect(run.jobs).toEqual({ 'quality-gate': 'success', build: 'success', staging: 'failure', production: 'skipped' });
    const staging = run.steps.filter((s) => s.job === 'staging');
    expect(staging.map((s) => s.uses)).toEqual(['sidhe/devops@v1']);
    expect(staging[0]!.run.errors[0]).toMatch(/traffic stayed on release/);
    expect(story.afterUnhealthy).toBe('dev');
  });

  it('deploy.yml: a manual deploy of a chosen release, then a rollback to the one before, one job each', () => {
    const firstRelease = productionDeploy(story.healthy).run.outputs.release;
    const { deployed, rolled } = story;
    expect(deployed.steps.map((s) => [s.inputs.command, s.run.exitCode])).toEqual([['deploy', 0]]);
    expect(deployed.steps[0]!.run.outputs['previous-release']).toBe(firstRelease);
    expect(story.afterDeployed).toBe('2.0.0');
    expect(rolled.steps.map((s) => [s.inputs.command, s.inputs.to, s.run.exitCode])).toEqual([['rollback', 'previous', 0]]);
    expect(rolled.steps[0]!.run.outputs.release).toBe(firstRelease);
    expect(story.afterRolled).toBe('dev');
  });
});

/** The pipeline's production deploy step. */
function productionDeploy(run: WorkflowRun): WorkflowRun['steps'][number] {
  return run.steps.find((s) => s.job === 'production' && s.uses === 'sidhe/devops@v1')!;
}
