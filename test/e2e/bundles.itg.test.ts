import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../packages/adapters/process/run-command.ts';
import { runBundle } from '../harness/run-bundle.ts';
import { LocalServers, reply } from '../support/local-servers.ts';

const COMMANDS = [
  'quality-gate',
  'build-scan-image',
  'deploy-blue-green',
  'deploy-canary',
  'health-check',
  'rollback',
  'deploy',
  'teardown',
  'metrics',
  'status',
];

describe('every public address starts its bundle', () => {
  it('deploy-canary asks for its app', async () => {
    const run = await runBundle('deploy-canary', {});
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toMatch(/^deploy-canary failed: input app is required: /);
  });

  it('health-check asks for its targets', async () => {
    const run = await runBundle('health-check', {});
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toMatch(/^health-check failed: targets: "" is not valid; list at least one target/);
  });

  it('the root action refuses an unknown command, listing the six', async () => {
    const run = await runBundle('', { command: 'deploi' });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual([`sidhe-devops failed: input command must name one of: ${COMMANDS.join(', ')}; "deploi" is not one of them`]);
  });

  it('the root action without a command says so', async () => {
    const run = await runBundle('', {});
    expect(run.errors).toEqual([`sidhe-devops failed: input command must name one of: ${COMMANDS.join(', ')}; no command was given`]);
  });

  it('the root action hands the other inputs to the chosen action', async () => {
    const run = await runBundle('', { command: 'rollback', environment: 'prod', router: 'haproxy', 'router-endpoint': 'unix:///nonexistent.sock' });
    expect(run.errors).toEqual([
      'rollback failed: input app is required: Name of the application; with `environment` it names the routed service, the containers and the lock.',
    ]);
  });
});

describe('bad input gets a clear error naming the input, the value and what is allowed', () => {
  const target = { targets: 'http://127.0.0.1:9/' };
  it.each([
    [{ targets: 'ftp://x' }, 'targets: "ftp://x" is not valid; use one target a line: http(s)://host[:port]/path, tcp://host:port or container://<name>'],
    [{ ...target, timeout: '5 minutes' }, 'timeout: "5 minutes" is not valid; use a number with a unit: ms, s, m, h or d (e.g. 500ms, 30s, 5m, 1h, 7d)'],
    [{ ...target, interval: 'often' }, 'interval: "often" is not valid; use a number with a unit: ms, s, m, h or d (e.g. 500ms, 30s, 5m, 1h, 7d)'],
    [
      { ...target, 'expected-status': 'abc' },
      'expected-status: "abc" is not valid; use HTTP status codes and ranges from 100 to 599, e.g. 200, 200-399 or 200,204,301-308',
    ],
    [{ ...target, samples: '0' }, 'samples: "0" is not valid; use a whole number from 1 to 100'],
    [{ ...target, 'required-successes': 'three' }, 'required-successes: "three" is not valid; use a whole number 1 or more'],
    [{ ...target, 'min-success-rate': '150%' }, 'min-success-rate: "150%" is not valid; use a percentage from 0 to 100, e.g. 99.5% or 80'],
    [
      { ...target, 'max-latency-p95': 'fast' },
      'max-latency-p95: "fast" is not valid; use a number with a unit: ms, s, m, h or d (e.g. 500ms, 30s, 5m, 1h, 7d)',
    ],
    [
      { 'prometheus-queries': 'up == 1' },
      'prometheus-url: "" is not valid; prometheus-queries needs the base URL of the Prometheus server, e.g. http://prometheus:9090',
    ],
    [
      { 'prometheus-url': 'http://127.0.0.1:19090', 'prometheus-queries': 'up' },
      'prometheus-queries: "up" is not valid; use one check a line: <promql> <op> <number>, with op one of < <= > >= == != (e.g. avg(node_load1) < 4)',
    ],
  ])('%j', async (inputs, message) => {
    const run = await runBundle('health-check', inputs);
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual([`health-check failed: ${message}`]);
  });

  function workspace(yaml: string): string {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sidhe-ws-'));
    mkdirSync(path.join(dir, '.sidhe'));
    writeFileSync(path.join(dir, '.sidhe', 'devops.yaml'), yaml);
    return dir;
  }

  it.each([
    [
      'devops_automator:\n  monitoring:\n    alert_threshold: { cpu: 80 }\n',
      '.sidhe/devops.yaml:3:5: devops_automator.monitoring.alert_threshold: unknown key; allowed keys in devops_automator.monitoring: enabled, health_check_interval, alert_thresholds',
    ],
    ['a: [\n', '.sidhe/devops.yaml:2:1: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]'],
  ])('config %j', async (yaml, message) => {
    const run = await runBundle('health-check', target, { workspace: workspace(yaml) });
    expect(run.errors).toEqual([`health-check failed: ${message}`]);
  });

  it('a config path that does not exist', async () => {
    const run = await runBundle('health-check', { ...target, config: 'ops/missing.yaml' });
    expect(run.errors).toEqual(['health-check failed: config: "ops/missing.yaml" not found in the workspace']);
  });
});

describe('sidhe-devops CLI (dist/cli.js)', () => {
  const servers = new LocalServers();
  afterAll(() => servers.closeAll());
  const cli = (...args: string[]) => runCommand(process.execPath, ['dist/cli.js', ...args], { timeoutMs: 60_000 });

  it('runs health-check, prints the summary as text and the outputs, exits 0', async () => {
    const url = `${await servers.http(reply(200))}/health`;
    const run = await cli('health-check', '--targets', url, '--interval', '100ms');
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toContain('Health check: ✅ healthy\n─');
    expect(run.stdout).toMatch(new RegExp(`${url.replace(/[.]/g, '\\.')}\\s+✅ healthy\\s+100%`));
    expect(run.stdout).toContain('outputs:\n  healthy=true\n  success-rate=100.0');
  });

  it('exits 1 on an unhealthy target and names it on stderr', async () => {
    const url = `${await servers.http(reply(500))}/health`;
    const run = await cli('health-check', '--targets', url, '--interval', '100ms', '--timeout', '1s');
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(`error: health-check failed: ${url}: success rate 0% is below min-success-rate 100%`);
    expect(run.stdout).toContain('healthy=false');
  });

  it('exits 2 on a usage error', async () => {
    const run = await cli('health-check', '--no-such-input', 'x');
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('error: health-check has no input no-such-input; its inputs: targets, scope, app, environment, since, timeout, interval');
  });
});
