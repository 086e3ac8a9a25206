import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../errors.ts';
import { containerName, decodeReleaseLabels, encodeReleaseLabels, isReleaseId, releaseId, type ReleaseLabels } from './release.ts';

const digest = `sha256:3f2a9c0b1d4e${'0'.repeat(52)}`;
const labels: ReleaseLabels = {
  app: 'shop',
  environment: 'production',
  colour: 'green',
  release: 'r20250301120000-3f2a9c0b1d4e',
  image: 'ghcr.io/acme/shop:1.4.2',
  imageDigest: digest,
  commit: '9fceb02d0ae598e95dc970b74767f19372d61af8',
  actor: 'octocat',
  deployedAt: '2025-03-01T12:00:00.000Z',
  port: 8081,
  previousRelease: 'r20250228090000-aaaaaaaaaaaa',
  healthPath: '/health?deep=1',
};

describe('release labels', () => {
  it('encodes under dev.sidhe. and decodes back to the same release', () => {
    const encoded = encodeReleaseLabels(labels);
    expect(encoded).toMatchObject({
      'dev.sidhe.app': 'shop',
      'dev.sidhe.colour': 'green',
      'dev.sidhe.image-digest': digest,
      'dev.sidhe.deployed-at': '2025-03-01T12:00:00.000Z',
      'dev.sidhe.port': '8081',
      'dev.sidhe.previous-release': 'r20250228090000-aaaaaaaaaaaa',
      'dev.sidhe.health-path': '/health?deep=1',
    });
    expect(Object.keys(encoded).every((key) => key.startsWith('dev.sidhe.'))).toBe(true);
    expect(decodeReleaseLabels({ ...encoded, 'org.opencontainers.image.title': 'shop' })).toEqual({ ok: true, labels });
  });

  it('leaves out the optional labels it was not given', () => {
    const { commit: _c, actor: _a, previousRelease: _p, healthPath: _h, ...first } = labels;
    const encoded = encodeReleaseLabels(first);
    expect(encoded['dev.sidhe.previous-release']).toBeUndefined();
    expect(encoded['dev.sidhe.health-path']).toBeUndefined();
    expect(decodeReleaseLabels(encoded)).toEqual({ ok: true, labels: first });
  });

  it('does not trust a container with missing or garbled labels, and says why', () => {
    const encoded = encodeReleaseLabels(labels);
    const { 'dev.sidhe.release': _r, ...missing } = encoded;
    const reading = decodeReleaseLabels({ ...missing, 'dev.sidhe.colour': 'purple', 'dev.sidhe.port': '99999' });
    expect(reading.ok).toBe(false);
    if (reading.ok) return;
    expect(reading.problem).toContain('dev.sidhe.release is missing');
    expect(reading.problem).toContain('dev.sidhe.colour="purple": use blue or green');
    expect(reading.problem).toContain('dev.sidhe.port="99999"');
    expect(decodeReleaseLabels({}).ok).toBe(false);
  });

  it('refuses to encode a value it could not read back', () => {
    expect(() => encodeReleaseLabels({ ...labels, app: 'my.app' })).toThrow(ConfigurationError);
    expect(() => encodeReleaseLabels({ ...labels, deployedAt: '1 March' })).toThrow(/dev\.sidhe\.deployed-at.*ISO 8601/);
    expect(() => encodeReleaseLabels({ ...labels, actor: 'two\nlines' })).toThrow(/dev\.sidhe\.actor/);
    expect(() => encodeReleaseLabels({ ...labels, healthPath: 'health' })).toThrow(/dev\.sidhe\.health-path.*starting with \//);
  });
});

describe('release id', () => {
  it('is r, the UTC time to the second and the digest, and sorts by time', () => {
    const early = releaseId(new Date('2025-03-01T09:05:07.900Z'), digest);
    const late = releaseId(new Date('2025-12-24T23:59:59Z'), `sha256:${'0'.repeat(64)}`);
    expect(early).toBe('r20250301090507-3f2a9c0b1d4e');
    expect([late, early].sort()).toEqual([early, late]);
    expect(isReleaseId(early)).toBe(true);
    expect(isReleaseId('ghcr.io/acme/shop:1.4.2')).toBe(false);
  });

  it('needs a sha256 digest', () => {
    expect(() => releaseId(new Date(), 'latest')).toThrow(/image digest: "latest"/);
  });
});

describe('container names', () => {
  it('keeps app and environment apart, so no two services share a name', () => {
    expect(containerName('shop', 'production', 'blue')).toBe('sidhe-shop.production-blue');
    expect(containerName('a-b', 'c', 'blue')).not.toBe(containerName('a', 'b-c', 'blue'));
  });

  it('names the input and the rule for a bad name', () => {
    expect(() => containerName('shop', 'eu.west', 'blue')).toThrow(/environment: "eu\.west" is not valid; .*no '\.'/);
    expect(() => containerName('', 'prod', 'blue')).toThrow(/^app: ""/);
  });
});
