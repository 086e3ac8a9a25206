import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../test/support/local-servers.ts';
import { DOCKER_HOST } from '../../../test/support/services.ts';
import { parseHealthPlan, runHealthSession } from '../../core/health/index.ts';
import { silentLogger } from '../../core/logger.ts';
import { createProber } from '../probes/composite-prober.ts';
import { systemClock } from '../probes/system-clock.ts';
import { runCommand } from '../process/run-command.ts';
import { inspectContainerHealth } from './container-health.ts';

const env = { ...process.env, DOCKER_HOST, DOCKER_BUILDKIT: '0' };
const id = `sidhe-hc-itg-${process.pid}-${Date.now().toString(36)}`;
const names = { healthy: `${id}-healthy`, unhealthy: `${id}-unhealthy`, plain: `${id}-plain`, missing: `${id}-missing` };
const images = { good: `${id}:good`, bad: `${id}:bad` };
let context = '';

async function docker(...args: string[]): Promise<string> {
  const result = await runCommand('docker', args, { env, timeoutMs: 60_000 });
  if (result.exitCode !== 0) throw new Error(`docker ${args.join(' ')}: ${result.stderr}`);
  return result.stdout.trim();
}

/** A scratch image with busybox whose HEALTHCHECK fetches `path` from its own httpd on `port`. */
async function build(tag: string, port: number, path: string): Promise<void> {
  await writeFile(
    join(context, 'Dockerfile'),
    [
      'FROM scratch',
      'COPY busybox /bin/busybox',
      'COPY www /www',
      `HEALTHCHECK --interval=300ms --timeout=2s --retries=1 CMD ["/bin/busybox","wget","-q","-O","/dev/null","http://127.0.0.1:${port}${path}"]`,
      `CMD ["/bin/busybox","httpd","-f","-p","127.0.0.1:${port}","-h","/www"]`,
    ].join('\n'),
  );
  await docker('build', '-q', '-t', tag, context);
}

beforeAll(async () => {
  context = await mkdtemp(join(tmpdir(), 'sidhe-hc-'));
  await mkdir(join(context, 'www'));
  await writeFile(join(context, 'www', 'health'), 'ok\n');
  await copyFile('/bin/busybox', join(context, 'busybox'));
  const [good, bad] = [await freePort(), await freePort()];
  await build(images.good, good, '/health');
  await build(images.bad, bad, '/missing');
  await docker('run', '-d', '--network', 'host', '--name', names.healthy, images.good);
  await docker('run', '-d', '--network', 'host', '--name', names.unhealthy, images.bad);
  await docker('run', '-d', '--network', 'host', '--no-healthcheck', '--name', names.plain, images.good, '/bin/busybox', 'sleep', '600');
});

afterAll(async () => {
  await runCommand('docker', ['rm', '-f', names.healthy, names.unhealthy, names.plain], { env });
  await runCommand('docker', ['rmi', images.good, images.bad], { env });
  if (context) await rm(context, { recursive: true, force: true });
});

async function check(targets: string, timeout: string) {
  const prober = createProber({ env });
  try {
    const plan = parseHealthPlan({ targets, timeout, interval: '100ms', requiredSuccesses: '2' });
    return await runHealthSession(plan, { prober, clock: systemClock, logger: silentLogger });
  } finally {
    prober.close();
  }
}

describe('container targets', () => {
  it('proves a container healthy once its HEALTHCHECK passes', async () => {
    const report = await check(`container://${names.healthy}`, '20s');
    expect(report.healthy).toBe(true);
    expect(report.rounds.at(-1)?.targets[0]?.observation).toEqual({ kind: 'container', state: { status: 'running', health: 'healthy' } });
  });

  it('fails a container whose HEALTHCHECK fails, quoting the check', async () => {
    const report = await check(`container://${names.unhealthy}`, '2s');
    expect(report.healthy).toBe(false);
    expect(report.message).toMatch(
      new RegExp(`^container://${names.unhealthy}: health unhealthy, needs healthy; last check: wget: server returned error: HTTP/1.[01] 404 Not Found`),
    );
  });

  it('counts a running container without HEALTHCHECK as healthy, and says so', async () => {
    const observation = await inspectContainerHealth(names.plain, { timeoutMs: 10_000, env });
    expect(observation).toEqual({ kind: 'container', state: { status: 'running' } });
    const report = await check(`container://${names.plain}`, '5s');
    expect(report.rounds[0]?.targets[0]?.note).toBe('the image has no HEALTHCHECK: running counts as healthy');
  });

  it('reports CPU and memory from docker stats', async () => {
    const observation = await inspectContainerHealth(names.healthy, { resources: true, timeoutMs: 10_000, env });
    expect(observation.resources?.cpuPercent).toBeGreaterThanOrEqual(0);
    expect(observation.resources?.memoryPercent).toBeGreaterThanOrEqual(0);
  });

  it('fails a missing container with the reason, not a crash', async () => {
    const report = await check(`container://${names.missing}`, '300ms');
    expect(report.lastFailures[0]).toMatchObject({
      criterion: 'container-health',
      observed: 'unavailable',
      message: `container://${names.missing}: no container named "${names.missing}" (Error response from daemon: No such container: ${names.missing})`,
    });
  });

  it('fails when the engine cannot be reached, saying where it looked', async () => {
    const nowhere = { ...env, DOCKER_HOST: `unix://${join(tmpdir(), `${id}-no-engine.sock`)}` };
    const observation = await inspectContainerHealth(names.healthy, { timeoutMs: 10_000, env: nowhere });
    expect(observation.error).toBe(
      `docker inspect ${names.healthy} failed: Cannot connect to the Docker daemon at ${nowhere.DOCKER_HOST}. Is the docker daemon running?`,
    );
  });
});
