import { describe, expect, it } from 'vitest';
import type { InfrastructureStatus } from '../../packages/core/monitor/infrastructure-status.ts';
import { renderMarkdown } from '../../packages/runtime/summary/markdown.ts';
import { formatBytes, historySummary, statusSummary } from './status-summary.ts';

const status: InfrastructureStatus = {
  at: '2025-03-01T12:00:00.000Z',
  scope: 'all',
  services: [{ app: 'shop', environment: 'prod', containers: 1, running: 1, releases: ['r20250301120000-3f2a9c0b1d4e'], state: 'up' }],
  containers: [
    {
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
      uptimeMs: 3_725_000,
      usage: { cpuPercent: 1.5, memoryBytes: 50_331_648, memoryLimitBytes: 67_108_864, memoryPercent: 75 },
    },
  ],
  hosts: [{ instance: 'h:9100', cpuPercent: 12, memoryPercent: 40, disks: [{ mountpoint: '/', percent: 91 }] }],
  alerts: [
    {
      severity: 'warning',
      subject: 'host h:9100 disk /',
      metric: 'disk',
      value: 91,
      threshold: 90,
      message: 'host h:9100 disk /: disk 91% is at or above the alert threshold 90%',
    },
  ],
};

describe('status summary', () => {
  it('shows alerts, services, containers with uptime and memory used / limit, and hosts', () => {
    const text = renderMarkdown(statusSummary(status));
    expect(text).toContain('## Infrastructure status: ⚠️ 1 alert(s), 0 critical');
    expect(text).toContain('| warning | host h:9100 disk / | disk | 91.0% | 90.0% |');
    expect(text).toContain('| shop/prod | up | 1/1 | r20250301120000-3f2a9c0b1d4e |');
    expect(text).toContain('| ✅ running | healthy | 0 | 1h 2m | 1.5% | 48.0 MiB / 64.0 MiB (75.0%) |');
    expect(text).toContain('| h:9100 | 12.0% | 40.0% | / 91.0% |');
    expect(formatBytes(512)).toBe('512 B');
  });

  it('lists incidents with start, end and cause', () => {
    const text = renderMarkdown(
      historySummary({
        since: 'a',
        until: 'b',
        services: [
          {
            service: 'shop/prod',
            availabilityPercent: 99.5,
            observations: 10,
            incidents: [{ start: 's', end: 'e', durationMs: 60_000, cause: 'health_check.finished: down' }],
          },
        ],
      }),
    );
    expect(text).toContain('| shop/prod | 99.5% | 10 | 1 |');
    expect(text).toContain('| shop/prod | s | e | 1m | health_check.finished: down |');
  });
});
