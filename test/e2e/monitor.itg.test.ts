import { readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEventHistory } from '../../packages/adapters/bus/redis-history.ts';
import { runCommand } from '../../packages/adapters/process/run-command.ts';
import { runBundle } from '../harness/run-bundle.ts';
import { freePort, LocalServers } from '../support/local-servers.ts';
import { buildMonitorImages, MONITOR_IMAGES, removeApps, startManaged } from '../support/monitor-fixture.ts';
import { NODE_EXPORTER_ADDRESS, startNodePrometheus, type PrometheusProcess } from '../support/prometheus-process.ts';
import { DOCKER_HOST, REDIS_URL } from '../support/services.ts';

const APP = 'mon-e2e';
/** The logs test's own app: the containers it starts would change what the others see of APP. */
const LOGS_APP = 'mon-logs-e2e';
const CLI = path.resolve(import.meta.dirname, '../../dist/cli.js');
const env = { DOCKER_HOST };
let prometheus: PrometheusProcess;
const servers = new LocalServers();

const cli = (...args: string[]) => runCommand(process.execPath, [CLI, ...args], { env: { ...process.env, DOCKER_HOST }, timeoutMs: 60_000 });

beforeAll(async () => {
  await removeApps(APP, LOGS_APP);
  const [started] = await Promise.all([startNodePrometheus(), buildMonitorImages()]);
  prometheus = started;
  await startManaged({ app: APP, environment: 'ok', colour: 'blue', image: MONITOR_IMAGES.healthy });
  await startManaged({ app: APP, environment: 'crash', colour: 'green', image: MONITOR_IMAGES.crash, flags: ['--restart', 'always'] });
  await startManaged({ app: APP, environment: 'hungry', colour: 'blue', image: MONITOR_IMAGES.hungry, flags: ['--memory', '64m'] });
  // The hungry one fills its memory and the crashing one restarts a few times.
  await sleep(4_000);
});
afterAll(async () => {
  await servers.closeAll();
  await removeApps(APP, LOGS_APP);
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
    expect(ours.map((a) => `${a.severity} ${a.subject} ${a.metric}`)).toEqual([
      `critical container sidhe-${APP}.crash-green state`,
      expect.stringMatching(new RegExp(`^(warning|critical) container sidhe-${APP}.hungry-blue memory$`)),
    ]);
    expect(run.outputs.alerts).toBe(String(status.alerts.length));
    expect(run.errors.join('\n')).toMatch(new RegExp(`container sidhe-${APP}.crash-green is (restarting|exited|running)`));
    expect([...run.errors, ...run.warnings].join('\n')).toMatch(
      new RegExp(`container sidhe-${APP}.hungry-blue: memory [\\d.]+% is at or above the alert threshold 40%`),
    );
    expect(run.summary).toContain('## Infrastructure status:');
    expect(run.summary).toContain(`| sidhe-${APP}.ok-blue | ${APP}/ok | blue |`);
    expect(run.summary).toContain(`| ${NODE_EXPORTER_ADDRESS} |`);
    // The configuration's dashboards (the two built in) become sections.
    expect(run.summary).toContain('### Dashboard: SIDHE Health (refresh 30s)');
    expect(run.summary).toMatch(/\| cpu \| host [\d.]+%, busiest container [\d.]+% \|/);

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
    const watch = await cli('status', '--watch', '--count', '2', '--refresh', '1s', '--app', APP, '--scope', 'containers');
    expect(watch.exitCode, watch.stderr).toBe(0);
    expect(watch.stdout.match(/^sidhe-devops status --watch: frame \d at /gm)).toHaveLength(2);
    const bad = await cli('status', '--scope', 'targets');
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toContain('status failed: scope: "targets" is not valid; use one of: containers, host, all');
  });

  it('a failing container:// target is explained in the summary: exit code and last log lines', async () => {
    const name = `sidhe-${APP}.crash-green`;
    const run = await runBundle('health-check', { targets: `container://${name}`, timeout: '2s', interval: '200ms' }, { env });
    expect(run.exitCode).toBe(1);
    expect(run.summary).toContain(`### Container ${name}`);
    expect(run.summary).toMatch(/(restarting|exited|running), exit code 3|running/);
    expect(run.summary).toContain('DATABASE_URL is not set');
  });

  it('sidhe-devops logs merges both colours of a release in time order, prefixed by colour', async () => {
    await startManaged({ app: LOGS_APP, environment: 'crash', colour: 'green', image: MONITOR_IMAGES.crash, flags: ['--restart', 'always'] });
    await startManaged({ app: LOGS_APP, environment: 'crash', colour: 'blue', image: MONITOR_IMAGES.crash });
    await sleep(1_500);
    const run = await cli('logs', LOGS_APP, 'crash', '--tail', '20');
    expect(run.exitCode, run.stderr).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines.some((l) => / \[blue\] DATABASE_URL is not set$/.test(l))).toBe(true);
    expect(lines.some((l) => / \[green\] starting$/.test(l))).toBe(true);
    const stamps = lines.map((l) => l.slice(0, l.indexOf(' ')));
    expect(stamps).toEqual([...stamps].sort());
    const none = await cli('logs', LOGS_APP, 'nothing');
    expect(none.exitCode).toBe(1);
    expect(none.stderr).toContain(`logs: no container of ${LOGS_APP}/nothing on the Docker engine at ${DOCKER_HOST}`);
  });

  it('status --since shows availability and the incident a failed health check recorded', async () => {
    // The stream keeps earlier runs' events: an app of this run only.
    const app = `mon-hist${process.pid}`;
    const service = { app, environment: 'e2e', 'events-redis-url': REDIS_URL, interval: '100ms', 'required-successes': '1' };
    const closed = `tcp://127.0.0.1:${await freePort()}`;
    expect((await runBundle('health-check', { ...service, targets: closed, timeout: '1s' }, { env })).exitCode).toBe(1);
    const open = `tcp://127.0.0.1:${await servers.tcp()}`;
    // A scheduled check with `since`: its summary is the availability dashboard, this check included.
    const scheduled = await runBundle('health-check', { ...service, targets: open, timeout: '5s', since: '10m' }, { env });
    expect(scheduled.exitCode, scheduled.stdout).toBe(0);
    expect(scheduled.summary).toContain('### Availability from');
    expect(scheduled.summary).toMatch(new RegExp(`\\| ${app}/e2e \\| 9\\d\\.\\d+% \\| 2 \\| 1 \\|`));
    const run = await cli('status', '--scope', 'containers', '--app', app, '--since', '10m', '--events-redis-url', REDIS_URL);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`${app}/e2e +(9\\d\\.\\d+)% +2 +1`));
    expect(run.stdout).toContain(`${closed}`);
    const path = /status-path=(\S+)/.exec(run.stdout)![1]!;
    const history = JSON.parse(readFileSync(path, 'utf8')).history;
    expect(history.services[0].incidents[0].end).toBeDefined();
    expect(history.services[0].incidents[0].cause).toMatch(/^health_check.finished: /);
  });
});
