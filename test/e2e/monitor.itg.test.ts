import { readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEventHistory } from '../../packages/adapters/bus/redis-history.ts';
import { runCommand } from '../../packages/adapters/process/run-command.ts';
import { runBundle } from '../harness/run-bundle.ts';
import { freePort } from '../support/local-servers.ts';
import { buildMonitorImages, MONITOR_IMAGES, removeApps, startManaged } from '../support/monitor-fixture.ts';
import { NODE_EXPORTER_ADDRESS, startNodePrometheus, type PrometheusProcess } from '../support/prometheus-process.ts';
import { DOCKER_HOST, REDIS_URL } from '../support/services.ts';

const APP = 'mon-e2e';
const CLI = path.resolve(import.meta.dirname, '../../dist/cli.js');
const env = { DOCKER_HOST };
let prometheus: PrometheusProcess;

const cli = (...args: string[]) => runCommand(process.execPath, [CLI, ...args], { env: { ...process.env, DOCKER_HOST }, timeoutMs: 60_000 });

beforeAll(async () => {
  await removeApps(APP);
  const [started] = await Promise.all([startNodePrometheus(), buildMonitorImages()]);
  prometheus = started;
  await startManaged({ app: APP, environment: 'ok', colour: 'blue', image: MONITOR_IMAGES.healthy });
  await startManaged({ app: APP, environment: 'crash', colour: 'green', image: MONITOR_IMAGES.crash, flags: ['--restart', 'always'] });
  await startManaged({ app: APP, environment: 'hungry', colour: 'blue', image: MONITOR_IMAGES.hungry, flags: ['--memory', '64m'] });
  // The hungry one fills its memory and the crashing one restarts a few times.
  await sleep(4_000);
});
afterAll(async () => {
  await removeApps(APP);
  await prometheus?.stop();
});

interface StatusFile {
  services: { app: string; environment: string; state: string }[];
  containers: { name: string; state: string; restarts: number; uptimeMs: number | null; usage?: { memoryPercent: number; memoryLimitBytes: number } }[];
  hosts: { instance: string; cpuPercent: number; memoryPercent: number; disks: unknown[] }[];
  alerts: { severity: string; subject: string; metric: string; value: number | string; threshold: number | string }[];
}

describe('the infrastructure monitor through the committed bundles', () => {
  it('status (root action): every managed container and the host, alerts as annotations and events, step passes without fail-on-alert', async () => {
    const since = Date.now();
    const run = await runBundle(
      '',
      { command: 'status', app: APP, 'prometheus-url': prometheus.url, 'max-memory': '40%', 'events-redis-url': REDIS_URL },
      { env },
    );
    expect(run.exitCode, run.stdout).toBe(0);
    const status = JSON.parse(readFileSync(run.outputs['status-path']!, 'utf8')) as StatusFile;
    expect(status.containers.map((c) => c.name)).toEqual([`sidhe-${APP}.crash-green`, `sidhe-${APP}.hungry-blue`, `sidhe-${APP}.ok-blue`]);
    expect(status.services.map((s) => `${s.environment}:${s.state}`)).toEqual(['crash:down', 'hungry:up', 'ok:up']);
    const [crash, hungry, ok] = status.containers;
    expect(crash!.restarts).toBeGreaterThan(0);
    expect(ok!.uptimeMs).toBeGreaterThan(3_000);
    expect(hungry!.usage!.memoryLimitBytes).toBe(64 * 1024 * 1024);
    expect(status.hosts.map((h) => h.instance)).toEqual([NODE_EXPORTER_ADDRESS]);
    expect(status.hosts[0]!.memoryPercent).toBeGreaterThan(0);
    expect(status.hosts[0]!.disks.length).toBeGreaterThan(0);

    const ours = status.alerts.filter((a) => a.subject.includes(APP));
    expect(ours.map((a) => `${a.severity} ${a.subject} ${a.metric}`)).toEqual([`critical container sidhe-${APP}.crash-green state`, expect.stringMatching(new RegExp(`^(warning|critical) container sidhe-${APP}.hungry-blue memory$`))]);
    expect(run.outputs.alerts).toBe(String(status.alerts.length));
    expect(run.errors.join('\n')).toMatch(new RegExp(`container sidhe-${APP}.crash-green is (restarting|exited|running)`));
    expect([...run.errors, ...run.warnings].join('\n')).toMatch(new RegExp(`container sidhe-${APP}.hungry-blue: memory [\\d.]+% is at or above the alert threshold 40%`));
    expect(run.summary).toContain('## Infrastructure status:');
    expect(run.summary).toContain(`| sidhe-${APP}.ok-blue | ${APP}/ok | blue |`);
    expect(run.summary).toContain(`| ${NODE_EXPORTER_ADDRESS} |`);

    const events = (await readEventHistory(REDIS_URL, since - 1_000, { app: APP })).filter((e) => e.type === 'alert.raised');
    expect(events.map((e) => `${e.environment} ${e.alert?.metric}`).sort()).toEqual(['crash state', 'hungry memory']);
  });

  it('health-check with scope containers fails on an alert, with fail-on-alert', async () => {
    const run = await runBundle('health-check', { scope: 'containers', 'max-memory': '40%' }, { env });
    expect(run.exitCode).toBe(1);
    expect(run.outputs.healthy).toBe('false');
    expect(run.errors.join('\n')).toMatch(new RegExp(`health-check failed: \\d+ alert\\(s\\), \\d+ critical: .*container sidhe-${APP}.crash-green is`));
    const status = JSON.parse(readFileSync(run.outputs['status-path']!, 'utf8')) as StatusFile;
    expect(status.containers.some((c) => c.name === `sidhe-${APP}.ok-blue`)).toBe(true);
    expect(status.hosts).toEqual([]);
  });

  it('refuses bad input with clear errors: unknown scope, 180%, unreachable Prometheus', async () => {
    const scope = await runBundle('health-check', { scope: 'everything' }, { env });
    expect(scope.exitCode).toBe(1);
    expect(scope.errors).toContain('health-check failed: scope: "everything" is not valid; use one of: targets, containers, host, all');
    const percent = await runBundle('health-check', { scope: 'containers', 'max-cpu': '180%' }, { env });
    expect(percent.errors).toContain('health-check failed: max-cpu: "180%" is not valid; use a percentage from 0 to 100, e.g. 99.5% or 80');
    const url = `http://127.0.0.1:${await freePort()}`;
    const down = await runBundle('health-check', { scope: 'host', 'prometheus-url': url }, { env });
    expect(down.exitCode).toBe(1);
    expect(down.errors.join('\n')).toMatch(new RegExp(`^health-check failed: prometheus-url: could not query Prometheus at ${url}: .*ECONNREFUSED`));
  });

  it('sidhe-devops status prints the tables in a terminal, and names bad flags', async () => {
    const run = await cli('status', '--app', APP, '--scope', 'containers');
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toContain('Infrastructure status:');
    expect(run.stdout).toMatch(new RegExp(`sidhe-${APP}\\.ok-blue +${APP}/ok +blue`));
    const bad = await cli('status', '--scope', 'targets');
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toContain('status failed: scope: "targets" is not valid; use one of: containers, host, all');
  });
});
