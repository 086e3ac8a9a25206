import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCKER_HOST } from '../../../test/support/services.ts';
import { buildMonitorImages, MONITOR_IMAGES, removeApps, startManaged } from '../../../test/support/monitor-fixture.ts';
import { DockerTarget } from './docker-target.ts';

const APPS = ['mon-ok', 'mon-crash', 'mon-hungry'];
const target = new DockerTarget({ dockerHost: DOCKER_HOST });

beforeAll(async () => {
  await removeApps(...APPS);
  await buildMonitorImages();
  await startManaged({ app: 'mon-ok', environment: 'itg', colour: 'blue', image: MONITOR_IMAGES.healthy });
  await startManaged({ app: 'mon-crash', environment: 'itg', colour: 'green', image: MONITOR_IMAGES.crash, flags: ['--restart', 'always'] });
  await startManaged({ app: 'mon-hungry', environment: 'itg', colour: 'blue', image: MONITOR_IMAGES.hungry, flags: ['--memory', '64m'] });
  await sleep(3_000);
});
afterAll(() => removeApps(...APPS));

describe('the managed containers of a Docker engine', () => {
  it('lists each with its release, state, restarts and usage, in one stats call', async () => {
    const containers = (await target.managedContainers()).filter((c) => APPS.includes(c.app ?? ''));
    expect(containers.map((c) => c.name)).toEqual(['sidhe-mon-crash.itg-green', 'sidhe-mon-hungry.itg-blue', 'sidhe-mon-ok.itg-blue']);
    const [crash, hungry, ok] = containers;
    expect(ok).toMatchObject({ app: 'mon-ok', environment: 'itg', colour: 'blue', image: MONITOR_IMAGES.healthy, state: 'running', restarts: 0 });
    expect(ok!.release).toMatch(/^r\d{14}-abababababab$/);
    expect(ok!.usage!.memoryBytes).toBeGreaterThan(0);
    expect(crash!.restarts).toBeGreaterThan(0);
    // Caught between restarts it says how the last run ended; caught running, it has no exit code yet.
    expect(['restarting', 'running', 'exited']).toContain(crash!.state);
    expect(crash!.exitCode).toBe(crash!.state === 'running' ? 0 : 3);
    expect(hungry!.usage!.memoryLimitBytes).toBe(64 * 1024 * 1024);
    expect(hungry!.usage!.memoryPercent).toBeGreaterThan(40);
  });
});
