import { describe, expect, it } from 'vitest';
import type { DevopsEvent } from '../events/devops-event.ts';
import { dashboardRows } from './dashboard.ts';
import type { InfrastructureStatus } from './infrastructure-status.ts';

const status: InfrastructureStatus = {
  at: '2025-03-01T00:00:00Z',
  scope: 'all',
  services: [{ app: 'shop', environment: 'prod', containers: 2, running: 2, releases: ['r1', 'r2'], state: 'up' }],
  containers: [],
  hosts: [
    {
      instance: 'h:9100',
      cpuPercent: 12.34,
      memoryPercent: 50,
      disks: [
        { mountpoint: '/', percent: 70 },
        { mountpoint: '/data', percent: 91 },
      ],
    },
  ],
  alerts: [],
};
const deploy = (type: DevopsEvent['type']): DevopsEvent => ({ version: 1, type, action: 'deploy-blue-green', at: status.at });

describe('dashboard rows', () => {
  it("shows each metric the dashboard lists, from the status and the window's events", () => {
    const events = [deploy('deploy.succeeded'), deploy('deploy.succeeded'), deploy('deploy.switched_back'), deploy('rollback.succeeded')];
    expect(dashboardRows(['cpu', 'disk', 'active_deployments', 'success_rate', 'rollback_rate', 'network'], status, events)).toEqual([
      { metric: 'cpu', value: 'host 12.3%', source: 'node_exporter, docker stats' },
      { metric: 'disk', value: 'fullest file system 91.0%', source: 'node_exporter' },
      { metric: 'active_deployments', value: '2', source: 'releases running on the Docker engine' },
      { metric: 'success_rate', value: '66.7%', source: '3 deploy(s) on the event bus' },
      { metric: 'rollback_rate', value: '33.3%', source: '1 rollback(s) per 3 deploy(s)' },
      { metric: 'network', value: '–', source: 'not read by status' },
    ]);
  });

  it('says where deploy rates come from when no window was read', () => {
    expect(dashboardRows(['success_rate'], status)).toEqual([{ metric: 'success_rate', value: '–', source: 'give since (the event bus)' }]);
  });
});
