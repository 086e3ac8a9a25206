import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBundle, type BundleOptions } from '../harness/run-bundle.ts';
import { buildImages, removeImages, type Variant } from '../support/blue-green-fixture.ts';
import { HAPROXY_ADMIN_SOCKET, HAPROXY_BACKEND, startHostBed, type HostBed } from '../support/host-bed.ts';
import { DOCKER_HOST } from '../support/services.ts';

// status over SSH: every host's containers, named by their host (test/support/host-bed.ts).
let images: Record<Variant, string>;
let bed: HostBed;
beforeAll(async () => {
  [images, bed] = await Promise.all([buildImages(`sidhe-itg-rstatus-${process.pid}`, ['v1']), startHostBed({ hosts: 2, router: 'haproxy' })]);
}, 240_000);
afterAll(async () => {
  await bed?.close();
  if (images) await removeImages(images);
});

const RUN: BundleOptions = { env: { DOCKER_HOST }, timeoutMs: 180_000 };

describe('status on remote hosts', () => {
  it("lists every host's containers of the app, each named by its host", async () => {
    const hosts = bed.hosts.map((h) => h.url).join(',');
    const ssh = { hosts, 'ssh-key': bed.privateKey, 'known-hosts': bed.knownHosts };
    const deploy = await runBundle(
      'deploy-blue-green',
      {
        app: 'shop',
        environment: 'status',
        router: 'haproxy',
        'router-endpoint': `unix://${HAPROXY_ADMIN_SOCKET}`,
        'router-service': HAPROXY_BACKEND,
        image: images.v1,
        'switch-delay': '0s',
        ...ssh,
      },
      RUN,
    );
    expect(deploy.exitCode, deploy.stdout).toBe(0);

    const run = await runBundle('', { command: 'status', scope: 'containers', app: 'shop', ...ssh }, RUN);
    expect(run.exitCode, run.stdout).toBe(0);
    const status = JSON.parse(readFileSync(run.outputs['status-path']!, 'utf8')) as { containers: { name: string; state: string; release: string }[] };
    expect(status.containers.map((c) => [c.name, c.state]).sort()).toEqual([
      ['10.213.1.2/sidhe-shop.status-blue', 'running'],
      ['10.213.2.2/sidhe-shop.status-blue', 'running'],
    ]);
    expect(new Set(status.containers.map((c) => c.release)).size).toBe(1);
    expect(run.summary).toContain('10.213.2.2/sidhe-shop.status-blue');
  }, 240_000);
});
