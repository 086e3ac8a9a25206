import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../packages/adapters/process/run-command.ts';
import { runBundle } from '../harness/run-bundle.ts';
import { freePort, LocalServers, reply } from '../support/local-servers.ts';
import { DOCKER_HOST, PROMETHEUS_URL } from '../support/services.ts';

const servers = new LocalServers();
afterAll(() => servers.closeAll());

const FAST = { interval: '100ms', timeout: '5s', samples: '3' };
const healthCheck = (inputs: Record<string, string>, options = {}) => runBundle('health-check', { ...FAST, ...inputs }, options);

function workspaceWithConfig(yaml: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sidhe-ws-'));
  mkdirSync(path.join(dir, '.sidhe'));
  writeFileSync(path.join(dir, '.sidhe', 'devops.yaml'), yaml);
  return dir;
}

describe('health-check through the committed bundle', () => {
  it('passes healthy HTTP and TCP targets and a Prometheus query, writing outputs, report and summary', async () => {
    const url = `${await servers.http(reply(200, 'all good'))}/health`;
    const port = await servers.tcp();
    const run = await healthCheck({
      targets: `${url}\ntcp://127.0.0.1:${port}`,
      'body-contains': 'good',
      'prometheus-url': PROMETHEUS_URL,
      'prometheus-queries': 'up{job="prometheus"} == 1',
    });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs.healthy).toBe('true');
    expect(run.outputs['success-rate']).toBe('100.0');
    expect(Number(run.outputs['latency-p95-ms'])).toBeGreaterThan(0);
    const report = JSON.parse(readFileSync(run.outputs['report-path']!, 'utf8'));
    expect(report.rounds).toHaveLength(3);
    expect(report.targets.map((t: { target: string }) => t.target)).toEqual([url, `tcp://127.0.0.1:${port}`, 'up{job="prometheus"} == 1']);
    expect(run.summary).toContain('## Health check: ✅ healthy');
    expect(run.summary).toContain(`| ${url} | ✅ healthy | 100% |`);
    expect(run.summary).toContain('```mermaid\nxychart-beta');
  });

  it('fails a 5xx target naming target, criterion, observed value and threshold; outputs are still written', async () => {
    const url = `${await servers.http(reply(503, 'down'))}/health`;
    const run = await healthCheck({ targets: url, timeout: '1s' });
    expect(run.exitCode).toBe(1);
    expect(run.outputs.healthy).toBe('false');
    expect(run.outputs['report-path']).toMatch(/\.json$/);
    expect(run.errors.join('\n')).toContain(
      `health-check failed: ${url}: success rate 0% is below min-success-rate 100% (3 of 3 samples failed; last: status 503 is outside expected-status 200-399)`,
    );
    expect(run.summary).toContain('❌ unhealthy');
  });

  it('fails a slow target on max-latency-p95', async () => {
    const url = `${await servers.http(reply(200, 'ok', 150))}/slow`;
    const run = await healthCheck({ targets: url, 'max-latency-p95': '50ms', timeout: '2s' });
    expect(run.exitCode).toBe(1);
    expect(run.errors.join('\n')).toMatch(new RegExp(`${url}: latency p95 \\d+ms exceeds max-latency-p95 50ms`));
  });

  it('fails a closed TCP port and a closed HTTP port', async () => {
    const port = await freePort();
    const run = await healthCheck({ targets: `tcp://127.0.0.1:${port}\nhttp://127.0.0.1:${port}/`, timeout: '1s' });
    expect(run.exitCode).toBe(1);
    expect(run.outputs.healthy).toBe('false');
    expect(run.summary).toContain(`| tcp://127.0.0.1:${port} | ❌ failing | 0% |`);
    expect(run.summary).toContain(`| http://127.0.0.1:${port}/ | ❌ failing | 0% |`);
  });

  it('takes the latency threshold from .sidhe/devops.yaml, and an input overrides it', async () => {
    const url = `${await servers.http(reply(200, 'ok', 120))}/`;
    const workspace = workspaceWithConfig('health_checks:\n  thresholds:\n    response_time: 50ms\n');
    const fromConfig = await healthCheck({ targets: url, timeout: '2s' }, { workspace });
    expect(fromConfig.exitCode).toBe(1);
    expect(fromConfig.errors.join('\n')).toContain('exceeds max-latency-p95 50ms');
    const overridden = await healthCheck({ targets: url, 'max-latency-p95': '2s' }, { workspace });
    expect(overridden.exitCode, overridden.stdout).toBe(0);
  });

  it('runs through the root action with command: health-check', async () => {
    const url = `${await servers.http(reply(204, ''))}/`;
    const run = await runBundle('', { command: 'health-check', targets: url, ...FAST });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs.healthy).toBe('true');
  });
});

describe('health-check of a real Docker container', () => {
  const tag = `sidhe-itg-health:${process.pid}`;
  const names = { healthy: `sidhe-itg-healthy-${process.pid}`, broken: `sidhe-itg-broken-${process.pid}` };
  const docker = (...args: string[]) => runCommand('docker', args, { env: { ...process.env, DOCKER_HOST } });

  beforeAll(async () => {
    const build = await runCommand('bash', ['scripts/build-sample-image.sh', tag, '1.0.0'], { env: { ...process.env, DOCKER_HOST } });
    expect(build.exitCode, build.stderr).toBe(0);
    const ports = [await freePort(), await freePort()];
    await docker('run', '-d', '--name', names.healthy, '--network', 'host', '-e', `PORT=${ports[0]}`, tag);
    // Its HEALTHCHECK probes a port nothing serves on, so Docker marks it unhealthy.
    await docker(
      'run',
      '-d',
      '--name',
      names.broken,
      '--network',
      'host',
      '-e',
      `PORT=${ports[1]}`,
      '--health-cmd',
      '/bin/busybox false',
      '--health-interval',
      '1s',
      '--health-retries',
      '1',
      tag,
    );
  });

  afterAll(async () => {
    await docker('rm', '-f', names.healthy, names.broken);
    await docker('rmi', tag);
  });

  it('passes once Docker reports the container healthy', async () => {
    const run = await healthCheck({ targets: `container://${names.healthy}`, timeout: '30s', interval: '500ms' }, { env: { DOCKER_HOST } });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.summary).toContain(`| container://${names.healthy} | ✅ healthy |`);
  });

  it('fails an unhealthy container and a missing one, naming each', async () => {
    const run = await healthCheck(
      { targets: `container://${names.broken}\ncontainer://sidhe-itg-missing-${process.pid}`, timeout: '6s', interval: '500ms' },
      { env: { DOCKER_HOST } },
    );
    expect(run.exitCode).toBe(1);
    const failures = run.summary;
    expect(failures).toContain(`| container://${names.broken} | ❌ failing |`);
    expect(failures).toContain(`| container://sidhe-itg-missing-${process.pid} | ❌ failing |`);
  });
});
