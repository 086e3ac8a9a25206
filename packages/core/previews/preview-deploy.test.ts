import { describe, expect, it } from 'vitest';
import { FakePreviewSites } from '../strategies/testing/fake-preview-sites.ts';
import { IMAGE, shopWorld } from '../strategies/testing/shop-fixture.ts';
import { deployPreview, type PreviewDeploySettings } from './preview-deploy.ts';
import { teardownPreview } from './preview-teardown.ts';

const DAY = 86_400_000;

function settings(environment: string, overrides: Partial<PreviewDeploySettings> = {}): PreviewDeploySettings {
  return {
    app: 'shop',
    environment,
    image: IMAGE.v1,
    env: {},
    health: { path: '/health', intervalMs: 1_000 },
    healthTimeoutMs: 30_000,
    observeMs: 0,
    lock: { owner: 'acme/shop run 42', timeoutMs: 600_000 },
    range: { first: 9100, last: 9102 },
    templates: { host: 'pr-{number}.preview.example.com', url: 'https://{host}' },
    maxAgeMs: 7 * DAY,
    maxCount: 3,
    ...overrides,
  };
}

function previewWorld() {
  const world = shopWorld();
  const sites = new FakePreviewSites(world.journal);
  return { ...world, sites, ports: { ...world.ports, sites } };
}

const running = (w: ReturnType<typeof previewWorld>) =>
  [...w.target.containers.values()]
    .filter((c) => c.status.running)
    .map((c) => `${c.labels.environment}:${c.labels.port}`)
    .sort();

describe('deployPreview', () => {
  it('gives each preview the lowest free port and its own host name, and keeps its port on a redeploy', async () => {
    const w = previewWorld();
    const one = await deployPreview(settings('pr-1'), w.ports);
    const two = await deployPreview(settings('pr-2'), w.ports);
    const again = await deployPreview(settings('pr-1', { image: IMAGE.v2 }), w.ports);

    expect([one.port, two.port, again.port]).toEqual([9100, 9101, 9100]);
    expect(one).toMatchObject({ host: 'pr-1.preview.example.com', url: 'https://pr-1.preview.example.com' });
    expect(running(w)).toEqual(['pr-1:9100', 'pr-2:9101']);
    expect(w.sites.sites.get('pr-2')).toEqual({ app: 'shop', environment: 'pr-2', host: 'pr-2.preview.example.com', port: 9101 });
  });

  it('tears down the oldest preview beyond max_count, and those older than max_age, before deploying', async () => {
    const w = previewWorld();
    for (const n of [1, 2, 3]) {
      await deployPreview(settings(`pr-${n}`), w.ports);
      w.clock.advance(DAY);
    }
    const fourth = await deployPreview(settings('pr-4'), w.ports);
    expect(fourth.retired).toEqual([{ environment: 'pr-1', why: 'beyond previews.max_count (3)' }]);
    expect(fourth.port).toBe(9100);
    expect(running(w)).toEqual(['pr-2:9101', 'pr-3:9102', 'pr-4:9100']);
    expect([...w.sites.sites.keys()].sort()).toEqual(['pr-2', 'pr-3', 'pr-4']);

    w.clock.advance(5 * DAY + 1);
    const fifth = await deployPreview(settings('pr-5'), w.ports);
    expect(fifth.retired).toEqual([{ environment: 'pr-2', why: 'older than previews.max_age' }]);
  });

  it('never touches another environment, and says when the range is full', async () => {
    const w = previewWorld();
    await deployPreview(settings('pr-1', { range: { first: 9100, last: 9100 } }), w.ports);
    await expect(deployPreview(settings('pr-2', { range: { first: 9100, last: 9100 } }), w.ports)).rejects.toThrow(
      'no free preview port in previews.ports 9100-9100: every one is taken by a container of shop',
    );
    expect(running(w)).toEqual(['pr-1:9100']);
  });
});

describe('teardownPreview', () => {
  it('removes the router entry, then the containers of that preview only', async () => {
    const w = previewWorld();
    await deployPreview(settings('pr-1'), w.ports);
    await deployPreview(settings('pr-2'), w.ports);
    w.journal.length = 0;
    const { removed } = await teardownPreview({ app: 'shop', environment: 'pr-1', reason: 'pull request closed', lock: settings('pr-1').lock }, w.ports);

    expect(removed).toEqual(['sidhe-shop.pr-1-blue']);
    expect(w.journal.indexOf('site remove pr-1')).toBeLessThan(w.journal.indexOf('remove sidhe-shop.pr-1-blue'));
    expect(running(w)).toEqual(['pr-2:9101']);
    expect([...w.sites.sites.keys()]).toEqual(['pr-2']);
    expect(w.events.at(-1)).toBe('preview.torn_down');
  });
});
