import { describe, expect, it } from 'vitest';
import { parseBuildArgs, parseLabels } from './build-inputs.ts';
import { checkImageReference, checkRegistryHost, formatReference, parseImageReference, withDefaultRegistry } from './image-reference.ts';
import { deriveTagNames, deriveTags, versionOfRef } from './image-tags.ts';
import { ENVIRONMENT_LABEL, imageLabels, OCI } from './oci-labels.ts';

const SHA = '3f2a9c0b1d4e5f60718293a4b5c6d7e8f9012345';

describe('tags from the Git ref and commit', () => {
  it.each([
    ['refs/heads/main', ['main', 'sha-3f2a9c0']],
    ['refs/heads/feature/Login_v2', ['feature-Login_v2', 'sha-3f2a9c0']],
    ['refs/tags/v1.4.2', ['1.4.2', '1.4', '1', 'sha-3f2a9c0']],
    ['refs/tags/2.0.0-rc.1', ['2.0.0-rc.1', 'sha-3f2a9c0']],
    ['refs/tags/nightly', ['nightly', 'sha-3f2a9c0']],
    ['refs/pull/12/merge', ['pr-12', 'sha-3f2a9c0']],
    ['', ['sha-3f2a9c0']],
  ])('%s', (ref, tags) => expect(deriveTagNames({ ref, commit: SHA })).toEqual(tags));

  it('knows the version of a semver tag only', () => {
    expect(versionOfRef('refs/tags/v1.4.2')).toBe('1.4.2');
    expect(versionOfRef('refs/heads/v1.4.2')).toBeUndefined();
  });

  it('builds full references and fails clearly with nothing to derive from', () => {
    const image = parseImageReference('image', '127.0.0.1:15000/acme/shop');
    expect(deriveTags(image, { ref: 'refs/heads/main', commit: '' })).toEqual(['127.0.0.1:15000/acme/shop:main']);
    expect(() => deriveTags(image, { ref: '', commit: '' })).toThrow(
      'tags: none given, and none can be derived: the Git ref "" and commit "" name no branch, tag, pull request or commit; give tags, or run in a workflow',
    );
  });
});

describe('image references', () => {
  it.each([
    ['ghcr.io/acme/shop:1.4.2', { registry: 'ghcr.io', repository: 'acme/shop', tag: '1.4.2' }],
    ['127.0.0.1:15000/shop', { registry: '127.0.0.1:15000', repository: 'shop' }],
    ['localhost/a/b@sha256:' + 'a'.repeat(64), { registry: 'localhost', repository: 'a/b', digest: 'sha256:' + 'a'.repeat(64) }],
    ['nginx', { registry: 'docker.io', repository: 'library/nginx' }],
  ])('%s', (raw, ref) => expect(parseImageReference('tags', raw)).toEqual(ref));

  it('formats Docker Hub names short', () => expect(formatReference(parseImageReference('x', 'nginx:1.25'))).toBe('nginx:1.25'));

  it.each(['Acme/Shop', 'shop:', 'shop:-x', 'a//b', 'shop@sha256:abc'])('rejects %j naming the input', (raw) => {
    expect(() => parseImageReference('tags', raw)).toThrow(`tags: ${JSON.stringify(raw)} is not valid;`);
  });
});

describe('withDefaultRegistry', () => {
  it("puts a name without a registry host on the configuration's registry, and keeps one that names its own", () => {
    expect(withDefaultRegistry('acme/shop', 'ghcr.io')).toBe('ghcr.io/acme/shop');
    expect(withDefaultRegistry('shop', '127.0.0.1:15000')).toBe('127.0.0.1:15000/shop');
    expect(withDefaultRegistry('docker.io/acme/shop', 'ghcr.io')).toBe('docker.io/acme/shop');
    expect(withDefaultRegistry('localhost:5000/shop', 'ghcr.io')).toBe('localhost:5000/shop');
  });
});

describe('build args and labels', () => {
  it('reads NAME=value lines, keeping = in values and skipping comments', () => {
    expect(parseBuildArgs('VERSION=1.2\n# note\n\nFLAGS=-a=b\nEMPTY=')).toEqual([
      { key: 'VERSION', value: '1.2' },
      { key: 'FLAGS', value: '-a=b' },
      { key: 'EMPTY', value: '' },
    ]);
  });

  it('names a bad line by number and name, never by value', () => {
    expect(() => parseBuildArgs('OK=1\n1TOKEN=s3cret')).toThrow(
      'build-args: "line 2 (1TOKEN=…)" is not valid; use NAME=value, one a line (NAME of letters, digits and _, not starting with a digit)',
    );
    expect(() => parseBuildArgs('VERSION 1.2')).toThrow('build-args: "line 1" is not valid;');
    expect(() => parseLabels('=x')).toThrow('labels: "line 1 (=…)" is not valid; use name=value');
  });

  it('always sets the OCI labels, leaves out unknown ones, and lets the user override', () => {
    const created = new Date('2026-11-26T12:00:00Z');
    const labels = imageLabels(
      { created, source: 'https://github.com/acme/shop', revision: SHA, version: '1.4.2', environment: 'staging' },
      parseLabels('com.acme.team=payments\norg.opencontainers.image.version=1.4.2-custom'),
    );
    expect(labels).toEqual({
      [OCI.created]: '2026-11-26T12:00:00.000Z',
      [OCI.source]: 'https://github.com/acme/shop',
      [OCI.revision]: SHA,
      [OCI.version]: '1.4.2-custom',
      [ENVIRONMENT_LABEL]: 'staging',
      'com.acme.team': 'payments',
    });
    expect(imageLabels({ created }, [])).toEqual({ [OCI.created]: '2026-11-26T12:00:00.000Z' });
  });
});

describe('checkRegistryHost and checkImageReference', () => {
  it('take hosts and references, and never an option', () => {
    expect(checkRegistryHost('registry', 'ghcr.io')).toBe('ghcr.io');
    expect(checkRegistryHost('registry', '127.0.0.1:15000')).toBe('127.0.0.1:15000');
    expect(checkImageReference('image', ' ghcr.io/acme/shop:1.4.2 ')).toBe('ghcr.io/acme/shop:1.4.2');
    for (const bad of ['-x', '--config=/tmp', 'ghcr.io/x', 'a b']) expect(() => checkRegistryHost('registry', bad)).toThrow(/^registry: /);
    for (const bad of ['-x', '--privileged', 'shop:1 --rm', '']) expect(() => checkImageReference('image', bad)).toThrow(/^image: /);
  });
});
