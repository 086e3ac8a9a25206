import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENVIRONMENT_LABEL, OCI } from '../../core/images/index.ts';
import { OciRegistry } from './oci-registry.ts';
import { freeLoopbackPort, HTPASSWD_FIXTURE, SHARED_REGISTRY, startRegistry, TEST_USER, type RegistryInstance } from './testing/local-registry.ts';
import { pushTestImage, pushTestIndex } from './testing/push-test-image.ts';
import { TOKEN_CERT, TOKEN_ISSUER, TOKEN_SERVICE, TokenServer } from './testing/token-server.ts';

const repo = (name: string) => `sidhe-itg/${name}-${process.pid}-${Date.now() % 100_000}`;

describe('OciRegistry against the real docker-registry', () => {
  it('lists tagged images grouped by digest, with labels and build time; HEAD gives the same digest', async () => {
    const repository = repo('list');
    const created = new Date('2026-10-01T08:00:00Z');
    const a = await pushTestImage(SHARED_REGISTRY, repository, ['a', 'a-alias'], { seed: 'a', created, labels: { [ENVIRONMENT_LABEL]: 'staging' } });
    const b = await pushTestImage(SHARED_REGISTRY, repository, ['b'], { seed: 'b', labels: { [OCI.version]: '2.0.0' } });
    const registry = new OciRegistry({ host: SHARED_REGISTRY });
    const images = await registry.listImages(repository);
    expect(images.map((i) => [i.digest, i.tags]).sort()).toEqual(
      [
        [a, ['a', 'a-alias']],
        [b, ['b']],
      ].sort(),
    );
    const first = images.find((i) => i.digest === a)!;
    expect(first.labels).toEqual({ [ENVIRONMENT_LABEL]: 'staging' });
    expect(first.created).toEqual(created);
    expect(await registry.headDigest(repository, 'b')).toBe(b);
    expect(await registry.headDigest(repository, 'missing')).toBeUndefined();
    // 1 tag list + 3 manifests + 2 configs
    expect(registry.requests).toBe(8);
  });

  it('deletes by digest, which takes every tag on it', async () => {
    const repository = repo('delete');
    const digest = await pushTestImage(SHARED_REGISTRY, repository, ['x', 'y'], { seed: 'x' });
    await pushTestImage(SHARED_REGISTRY, repository, ['z'], { seed: 'z' });
    const registry = new OciRegistry({ host: SHARED_REGISTRY });
    await registry.deleteManifest(repository, digest);
    expect((await registry.listImages(repository)).flatMap((i) => i.tags)).toEqual(['z']);
    expect(await registry.manifest(repository, digest)).toBeUndefined();
  });

  it('reads a multi-architecture index: its children and its first image’s labels', async () => {
    const repository = repo('index');
    const amd = await pushTestImage(SHARED_REGISTRY, repository, ['1.0-amd64'], { seed: 'amd', labels: { [ENVIRONMENT_LABEL]: 'production' } });
    const arm = await pushTestImage(SHARED_REGISTRY, repository, ['1.0-arm64'], { seed: 'arm', labels: { [ENVIRONMENT_LABEL]: 'production' } });
    const index = await pushTestIndex(SHARED_REGISTRY, repository, '1.0', [amd, arm]);
    const images = await new OciRegistry({ host: SHARED_REGISTRY }).listImages(repository);
    const read = images.find((i) => i.digest === index)!;
    expect(read.tags).toEqual(['1.0']);
    expect(read.children).toEqual([amd, arm]);
    expect(read.labels).toEqual({ [ENVIRONMENT_LABEL]: 'production' });
  });

  it('says when the registry is unreachable', async () => {
    const port = await freeLoopbackPort();
    const registry = new OciRegistry({ host: `127.0.0.1:${port}` });
    await expect(registry.listImages('acme/shop')).rejects.toThrow(
      `registry 127.0.0.1:${port} is unreachable (listing the tags of acme/shop): connect ECONNREFUSED 127.0.0.1:${port}`,
    );
  });

  describe('with htpasswd auth', () => {
    let secured: RegistryInstance;
    beforeAll(async () => {
      secured = await startRegistry({ htpasswd: HTPASSWD_FIXTURE });
    });
    afterAll(() => secured?.stop());

    it('works with the right credentials, and names the user the registry refused', async () => {
      const good = new OciRegistry({ host: secured.host, credentials: TEST_USER });
      expect(await good.listImages('acme/shop')).toEqual([]);
      const bad = new OciRegistry({ host: secured.host, credentials: { username: 'sidhe', password: 'wrong' } });
      await expect(bad.listImages('acme/shop')).rejects.toThrow(
        `registry ${secured.host} refused the credentials of user sidhe (HTTP 401 while listing the tags of acme/shop); check username and password`,
      );
      await expect(new OciRegistry({ host: secured.host }).listImages('acme/shop')).rejects.toThrow(
        `registry ${secured.host} needs credentials for listing the tags of acme/shop: set username and password`,
      );
    });
  });

  it('says when the registry does not allow deletes', async () => {
    const locked = await startRegistry({ deletes: false });
    try {
      const digest = await pushTestImage(locked.host, 'acme/shop', ['1'], { seed: 'locked' });
      await expect(new OciRegistry({ host: locked.host }).deleteManifest('acme/shop', digest)).rejects.toThrow(
        `registry ${locked.host} does not allow deletes (HTTP 405 on DELETE of acme/shop@${digest}); enable them (Docker's registry: storage.delete.enabled: true) or set dry-run`,
      );
    } finally {
      await locked.stop();
    }
  });
});

describe('OciRegistry with Bearer token auth (a real docker-registry behind a test token service)', () => {
  const tokens = new TokenServer(TEST_USER);
  let registry: RegistryInstance;
  beforeAll(async () => {
    const realm = await tokens.start();
    registry = await startRegistry({ token: { realm, service: TOKEN_SERVICE, issuer: TOKEN_ISSUER, rootCertBundle: TOKEN_CERT } });
  });
  afterAll(async () => {
    await registry?.stop();
    await tokens.stop();
  });

  it('fetches a token for the scope the registry names, for reads and for deletes, and names refused credentials', async () => {
    // Pushing needs a token too: take one from the service directly.
    const scope = 'repository:acme/shop:pull,push,delete';
    const answer = await fetch(`${tokens.realm}?service=${TOKEN_SERVICE}&scope=${scope}`, {
      headers: { authorization: `Basic ${Buffer.from(`${TEST_USER.username}:${TEST_USER.password}`).toString('base64')}` },
    });
    const { token } = (await answer.json()) as { token: string };
    const digest = await pushTestImage(registry.host, 'acme/shop', ['1'], { seed: 'bearer' }, { authorization: `Bearer ${token}` });

    const client = new OciRegistry({ host: registry.host, credentials: TEST_USER });
    expect((await client.listImages('acme/shop')).map((i) => i.digest)).toEqual([digest]);
    await client.deleteManifest('acme/shop', digest);
    expect(await client.listTags('acme/shop')).toEqual([]);
    expect(tokens.requests.some((r) => r.includes('scope=repository%3Aacme%2Fshop%3Apull'))).toBe(true);
    expect(tokens.requests.some((r) => r.includes('delete'))).toBe(true);

    const wrong = new OciRegistry({ host: registry.host, credentials: { username: 'sidhe', password: 'wrong' } });
    await expect(wrong.listTags('acme/shop')).rejects.toThrow(
      `registry ${registry.host} refused the credentials of user sidhe (HTTP 401 while listing the tags of acme/shop); check username and password`,
    );
  });
});
