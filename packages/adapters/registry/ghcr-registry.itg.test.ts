import { afterEach, describe, expect, it } from 'vitest';
import { ENVIRONMENT_LABEL, OCI } from '../../core/images/index.ts';
import { GhcrRegistry } from './ghcr-registry.ts';
import { OciRegistry } from './oci-registry.ts';
import { FakeGitHubPackages, type FakeVersion } from './testing/fake-github-packages.ts';
import { SHARED_REGISTRY } from './testing/local-registry.ts';
import { pushTestImage } from './testing/push-test-image.ts';

// GitHub's Packages API is the documented FAKE; the registry side (labels, build time) is the real
// docker-registry, holding the same images the fake lists.
const owner = `acme${process.pid}`;
const repository = `${owner}/team/shop`;
const version = (id: number, digest: string, tags: string[], createdAt = '2026-11-01T00:00:00Z'): FakeVersion => ({
  id,
  name: digest,
  created_at: createdAt,
  metadata: { package_type: 'container', container: { tags } },
});

let fake: FakeGitHubPackages | undefined;
afterEach(() => fake?.stop());

describe('GhcrRegistry through a fake of the GitHub Packages API', () => {
  it('lists tagged versions with labels from the registry, pages through, and deletes by version id', async () => {
    const built = new Date('2026-09-01T00:00:00Z');
    const a = await pushTestImage(SHARED_REGISTRY, repository, ['a'], {
      seed: `ghcr-a-${process.pid}`,
      labels: { [ENVIRONMENT_LABEL]: 'staging', [OCI.created]: built.toISOString() },
    });
    const b = await pushTestImage(SHARED_REGISTRY, repository, ['b'], {
      seed: `ghcr-b-${process.pid}`,
      labels: { [ENVIRONMENT_LABEL]: 'staging' },
      created: built,
    });
    const untagged = Array.from({ length: 150 }, (_, i) => version(1000 + i, `sha256:${String(i).padStart(64, '0')}`, []));
    fake = new FakeGitHubPackages('ghs_fake', [
      { ownerKind: 'users', owner, name: 'team/shop', versions: [version(1, a, ['a', 'a2']), ...untagged, version(2, b, ['b'])] },
    ]);
    const registry = new GhcrRegistry({ apiUrl: await fake.start(), token: 'ghs_fake', oci: new OciRegistry({ host: SHARED_REGISTRY }) });

    const images = await registry.listImages(repository);
    expect(
      images.map((i) => ({ digest: i.digest, tags: i.tags, id: i.registryId, env: i.labels[ENVIRONMENT_LABEL], created: i.created?.toISOString() })),
    ).toEqual([
      { digest: a, tags: ['a', 'a2'], id: '1', env: 'staging', created: expect.any(String) },
      { digest: b, tags: ['b'], id: '2', env: 'staging', created: built.toISOString() },
    ]);
    // orgs/ does not know the owner, users/ does; two pages of 100.
    expect(fake.requests.slice(0, 3)).toEqual([
      `GET /orgs/${owner}/packages/container/team%2Fshop`,
      `GET /users/${owner}/packages/container/team%2Fshop/versions?per_page=100`,
      `GET /users/${owner}/packages/container/team%2Fshop/versions?per_page=100&page=2`,
    ]);

    await registry.deleteImage(repository, images[1]!);
    expect(fake.requests.at(-1)).toBe(`DELETE /users/${owner}/packages/container/team%2Fshop/versions/2`);
    expect(fake.packages[0]!.versions.map((v) => v.id)).not.toContain(2);
  });

  it('names a refused token and a missing package', async () => {
    fake = new FakeGitHubPackages('ghs_right', [{ ownerKind: 'orgs', owner, name: 'shop', versions: [] }]);
    const apiUrl = await fake.start();
    const oci = new OciRegistry({ host: SHARED_REGISTRY });
    await expect(new GhcrRegistry({ apiUrl, token: 'ghs_wrong', oci }).listImages(`${owner}/shop`)).rejects.toThrow(
      `GitHub refused the token given as password (HTTP 401 while looking up package ${owner}/shop: Bad credentials); it needs read:packages and delete:packages`,
    );
    await expect(new GhcrRegistry({ apiUrl, token: 'ghs_right', oci }).listImages(`${owner}/other`)).rejects.toThrow(
      `GitHub answered HTTP 404 while listing the versions of ${owner}/other: Package not found.`,
    );
  });
});
