import { describe, expect, it } from 'vitest';
import { eventStamper, fanOut, type DevopsEvent } from './devops-event.ts';

describe('events', () => {
  it('stamps version, type, action and time over the shared fields', () => {
    const stamp = eventStamper('deploy-blue-green', { app: 'shop', environment: 'prod', runner: 'r' }, () => Date.UTC(2026, 0, 2, 3, 4, 5));
    expect(stamp('deploy.switched', { release: 'r1', colour: 'green' })).toEqual({
      version: 1,
      type: 'deploy.switched',
      action: 'deploy-blue-green',
      at: '2026-01-02T03:04:05.000Z',
      app: 'shop',
      environment: 'prod',
      runner: 'r',
      release: 'r1',
      colour: 'green',
    });
  });

  it('fans out to every sink in order', async () => {
    const seen: string[] = [];
    const sink = (name: string) => ({ emit: async (e: DevopsEvent) => void seen.push(`${name}:${e.type}`) });
    const stamp = eventStamper('rollback', {}, () => 0);
    await fanOut([sink('a'), sink('b')]).emit(stamp('rollback.started'));
    expect(seen).toEqual(['a:rollback.started', 'b:rollback.started']);
  });
});
