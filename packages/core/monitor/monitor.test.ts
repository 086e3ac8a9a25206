import { describe, expect, it } from 'vitest';
import { readAlertThresholds } from './alert-thresholds.ts';
import { evaluateAlerts, severityOf } from './alerts.ts';
import { servicesOf, withCrashLoops, withUptime, type ContainerSnapshot } from './infrastructure-status.ts';
import { formatUptime, uptimeMs } from './uptime.ts';

const THRESHOLDS = { cpu: 80, memory: 85, disk: 90 };

function container(overrides: Partial<ContainerSnapshot>): ContainerSnapshot {
  return {
    name: 'sidhe-shop.prod-blue',
    id: 'c1',
    app: 'shop',
    environment: 'prod',
    colour: 'blue',
    release: 'r20250301120000-3f2a9c0b1d4e',
    image: 'shop:1',
    state: 'running',
    health: 'healthy',
    restarts: 0,
    exitCode: 0,
    startedAt: '2025-03-01T12:00:00Z',
    usage: { cpuPercent: 5, memoryBytes: 10, memoryLimitBytes: 100, memoryPercent: 10 },
    ...overrides,
  };
}

describe('alert evaluation', () => {
  it('raises nothing under every threshold', () => {
    expect(
      evaluateAlerts([container({})], [{ instance: 'h:9100', cpuPercent: 10, memoryPercent: 20, disks: [{ mountpoint: '/', percent: 50 }] }], THRESHOLDS),
    ).toEqual([]);
  });

  it('raises a warning at the threshold and a critical past halfway to 100%', () => {
    expect(severityOf(80, 80)).toBe('warning');
    expect(severityOf(89.9, 80)).toBe('warning');
    expect(severityOf(90, 80)).toBe('critical');
    const alerts = evaluateAlerts([container({ usage: { cpuPercent: 85, memoryBytes: 95, memoryLimitBytes: 100, memoryPercent: 95 } })], [], THRESHOLDS);
    expect(alerts).toEqual([
      expect.objectContaining({ severity: 'critical', metric: 'memory', value: 95, threshold: 85, subject: 'container sidhe-shop.prod-blue' }),
      expect.objectContaining({
        severity: 'warning',
        metric: 'cpu',
        value: 85,
        threshold: 80,
        message: 'container sidhe-shop.prod-blue: CPU 85% is at or above the alert threshold 80%',
      }),
    ]);
  });

  it('calls a crash-looping or unhealthy container critical, with its exit code and health log', () => {
    const alerts = evaluateAlerts(
      [container({ state: 'restarting', exitCode: 3, restarts: 4, usage: undefined }), container({ name: 'b', health: 'unhealthy', healthLog: 'wget: 404' })],
      [],
      THRESHOLDS,
    );
    expect(alerts.map((a) => [a.severity, a.message])).toEqual([
      ['critical', 'container sidhe-shop.prod-blue is restarting (exit code 3, restarted 4 time(s))'],
      ['critical', 'container b is unhealthy: wget: 404'],
    ]);
  });

  it('alerts on each host figure and each disk', () => {
    const alerts = evaluateAlerts([], [{ instance: 'h:9100', cpuPercent: 99, memoryPercent: 10, disks: [{ mountpoint: '/data', percent: 91 }] }], THRESHOLDS);
    expect(alerts.map((a) => `${a.severity} ${a.subject} ${a.metric}`)).toEqual(['critical host h:9100 cpu', 'warning host h:9100 disk /data disk']);
  });
});

describe('alert thresholds', () => {
  it('takes each input over its configured value', () => {
    expect(readAlertThresholds({ maxCpu: '50%', maxMemory: '', maxDisk: '70' }, THRESHOLDS)).toEqual({ cpu: 50, memory: 85, disk: 70 });
  });

  it('refuses 180% naming the input', () => {
    expect(() => readAlertThresholds({ maxCpu: '', maxMemory: '180%', maxDisk: '' }, THRESHOLDS)).toThrow(
      'max-memory: "180%" is not valid; use a percentage from 0 to 100, e.g. 99.5% or 80',
    );
  });
});

describe('uptime and services', () => {
  it('measures uptime from the last start and prints two units', () => {
    const now = Date.parse('2025-03-02T14:30:05Z');
    expect(uptimeMs('2025-03-01T12:00:00Z', now)).toBe(95_405_000);
    expect(formatUptime(95_405_000)).toBe('1d 2h');
    expect(formatUptime(3_600_000)).toBe('1h');
    expect(formatUptime(65_000)).toBe('1m 5s');
    expect(formatUptime(400)).toBe('0s');
    expect(formatUptime(null)).toBe('–');
    expect(withUptime([container({ state: 'exited' })], now)[0]!.uptimeMs).toBeNull();
  });

  it('reads a container caught running between two crashes as restarting, and one that ran 10 s since as running', () => {
    const now = Date.parse('2025-03-01T12:00:09.950Z');
    const [looping, settled, neverRestarted] = withCrashLoops(
      [
        container({ name: 'loop', restarts: 4, startedAt: '2025-03-01T12:00:09.900Z' }),
        container({ name: 'settled', restarts: 4, startedAt: '2025-03-01T11:59:59.000Z' }),
        container({ name: 'fresh', restarts: 0, startedAt: '2025-03-01T12:00:09.900Z' }),
      ],
      now,
    );
    expect([looping!.state, settled!.state, neverRestarted!.state]).toEqual(['restarting', 'running', 'running']);
    expect(servicesOf([looping!]).map((s) => s.state)).toEqual(['down']);
    expect(evaluateAlerts([looping!], [], THRESHOLDS).map((a) => a.message)).toEqual(['container loop is restarting (exit code 0, restarted 4 time(s))']);
  });

  it('groups containers into services: up, degraded, down', () => {
    const services = servicesOf([
      container({}),
      container({ name: 'g', colour: 'green', state: 'restarting', release: 'r2' }),
      container({ name: 'x', app: 'api', state: 'exited' }),
      container({ name: 'u', app: undefined, environment: undefined, problem: 'labels not trusted' }),
    ]);
    expect(services).toEqual([
      { app: 'api', environment: 'prod', containers: 1, running: 0, releases: [], state: 'down' },
      { app: 'shop', environment: 'prod', containers: 2, running: 1, releases: ['r20250301120000-3f2a9c0b1d4e'], state: 'degraded' },
    ]);
  });
});
