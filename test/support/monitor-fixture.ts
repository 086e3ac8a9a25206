import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { encodeReleaseLabels, releaseId, type Colour } from '../../packages/core/deploy/release.ts';
import { runCommand } from '../../packages/adapters/process/run-command.ts';
import { docker, dockerEnv } from './blue-green-fixture.ts';
import { freePort } from './local-servers.ts';

/** The sample service and images FROM it that misbehave the way the monitor must notice. */
export const MONITOR_IMAGES = {
  healthy: 'mon-sample:v1',
  // Dies at once saying why; with a restart policy it loops.
  crash: 'mon-sample:crash',
  // Holds 30 MB in its shell while httpd serves (`& wait`: ash would exec a last command and free it):
  // about 45% of a 64 MB limit, and healthy.
  hungry: 'mon-sample:hungry',
} as const;

const DERIVED: Record<'crash' | 'hungry', string> = {
  crash: 'CMD ["/bin/busybox", "sh", "-c", "echo starting; echo DATABASE_URL is not set >&2; exit 3"]',
  hungry:
    'CMD ["/bin/busybox", "sh", "-c", "x=$(/bin/busybox head -c 30000000 /dev/zero | /bin/busybox tr \'\\\\0\' a); echo holding ${#x} bytes; /bin/busybox httpd -f -p 127.0.0.1:$PORT -h /www & wait"]',
};

export async function buildMonitorImages(): Promise<void> {
  const build = await runCommand('bash', ['scripts/build-sample-image.sh', MONITOR_IMAGES.healthy, '1.0.0'], { env: dockerEnv });
  expect(build.exitCode, build.stderr).toBe(0);
  for (const [variant, instruction] of Object.entries(DERIVED)) {
    const context = mkdtempSync(path.join(os.tmpdir(), 'mon-img-'));
    writeFileSync(path.join(context, 'Dockerfile'), `FROM ${MONITOR_IMAGES.healthy}\n${instruction}\n`);
    const tag = MONITOR_IMAGES[variant as keyof typeof DERIVED];
    const result = await runCommand('docker', ['build', '-q', '-t', tag, context], { env: { ...dockerEnv, DOCKER_BUILDKIT: '0' } });
    expect(result.exitCode, result.stderr).toBe(0);
  }
}

export interface ManagedSpec {
  app: string;
  environment: string;
  colour: Colour;
  image: string;
  /** `docker run` flags besides the labels, e.g. `--restart always`, `--memory 64m`. */
  flags?: string[];
  deployedAt?: Date;
}

/** Starts a container with the suite's release labels, as a deploy would have; returns its name. */
export async function startManaged(spec: ManagedSpec): Promise<string> {
  const name = `sidhe-${spec.app}.${spec.environment}-${spec.colour}`;
  const deployedAt = spec.deployedAt ?? new Date();
  const digest = `sha256:${'ab'.repeat(32)}`;
  const port = await freePort();
  const labels = encodeReleaseLabels({
    app: spec.app,
    environment: spec.environment,
    colour: spec.colour,
    release: releaseId(deployedAt, digest),
    image: spec.image,
    imageDigest: digest,
    deployedAt: deployedAt.toISOString(),
    port,
  });
  // The image's health check allows 1 s; on this shared machine a probe can take longer.
  const patient = ['--health-timeout', '10s', '--health-retries', '5'];
  const args = ['run', '-d', '--name', name, '--network', 'host', '--env', `PORT=${port}`, ...patient, ...(spec.flags ?? [])];
  const result = await docker(...args, ...Object.entries(labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]), spec.image);
  expect(result.exitCode, result.stderr).toBe(0);
  return name;
}

/** Removes every container of the apps named, whatever their state. */
export async function removeApps(...apps: string[]): Promise<void> {
  for (const app of apps) {
    const ids = (await docker('ps', '-aq', '--filter', `label=dev.sidhe.app=${app}`)).stdout.split('\n').filter(Boolean);
    if (ids.length > 0) await docker('rm', '-f', ...ids);
  }
}
