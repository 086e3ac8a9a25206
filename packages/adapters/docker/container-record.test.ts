import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseContainers, pickImageDigest, serviceEnv } from './container-record.ts';

// `docker inspect` (engine 20.10) of a release started by DockerTarget, and of a container with a bad colour.
const inspected = readFileSync(new URL('testdata/inspect-release.json', import.meta.url), 'utf8');

describe('parseContainers', () => {
  it('reads name, state, health and trusted labels from docker inspect', () => {
    const [release, garbled] = parseContainers(inspected);
    expect(release).toEqual({
      name: 'sidhe-shop.production-blue',
      id: expect.stringMatching(/^[0-9a-f]{64}$/),
      status: { state: 'running', running: true, exitCode: 0, health: 'healthy', startedAt: '2026-11-26T19:41:56.186448053Z' },
      trusted: true,
      labels: {
        app: 'shop',
        environment: 'production',
        colour: 'blue',
        release: 'r20250301120000-6c6d01e166df',
        image: 'sidhe-fixture-capture:v1',
        imageDigest: 'sha256:6c6d01e166df0302efc1c72e926c27c43fa6fa8c9ee014b3f626794cb728116b',
        commit: '9fceb02',
        actor: 'octocat',
        deployedAt: '2025-03-01T12:00:00.000Z',
        port: 18599,
      },
    });
    expect(garbled).toMatchObject({
      name: 'sidhe-shop.production-green',
      status: { state: 'created', running: false, exitCode: 0 },
      trusted: false,
      problem: expect.stringContaining('dev.sidhe.colour="purple"'),
    });
    expect(garbled?.status.startedAt).toBeUndefined();
  });
});

describe('pickImageDigest', () => {
  const id = `sha256:${'1'.repeat(64)}`;
  const hub = `sha256:${'a'.repeat(64)}`;
  const ghcr = `sha256:${'b'.repeat(64)}`;
  const digests = [`nginx@${hub}`, `ghcr.io/acme/shop@${ghcr}`];

  it("takes the digest of the reference's own repository", () => {
    expect(pickImageDigest('ghcr.io/acme/shop:1.4', digests, id)).toBe(ghcr);
    expect(pickImageDigest('docker.io/library/nginx:1.27', digests, id)).toBe(hub);
    expect(pickImageDigest('nginx', digests, id)).toBe(hub);
  });

  it('takes a pinned digest as it is, and falls back to the local id', () => {
    expect(pickImageDigest(`registry:5000/shop@${ghcr}`, [], id)).toBe(ghcr);
    expect(pickImageDigest('registry:5000/shop:2', digests, id)).toBe(id);
    expect(pickImageDigest('sidhe-sample:v1', [], id)).toBe(id);
  });
});

describe('serviceEnv', () => {
  it("keeps the service's own variables: not PORT, not what the image sets the same way", () => {
    const container = ['PATH=/bin', 'PORT=8081', 'DATABASE_URL=postgres://u:p@db/x', 'MODE=a=b', 'LANG=C.UTF-8'];
    const image = ['PATH=/bin', 'LANG=en_US.UTF-8'];
    expect(serviceEnv(container, image)).toEqual({ DATABASE_URL: 'postgres://u:p@db/x', MODE: 'a=b', LANG: 'C.UTF-8' });
    expect(serviceEnv(null, null)).toEqual({});
  });
});
