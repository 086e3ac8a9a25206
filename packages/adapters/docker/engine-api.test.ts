import { describe, expect, it } from 'vitest';
import { negotiateVersion, unixSocketOf } from './engine-api.ts';

describe('negotiateVersion', () => {
  it("speaks the engine's version when this code knows it", () => {
    // Docker 20.10's /_ping answers `Api-Version: 1.41`.
    expect(negotiateVersion('1.41')).toBe('1.41');
    expect(negotiateVersion(['1.52'])).toBe('1.52');
  });

  it('caps a newer engine at the newest version read here, which it still serves', () => {
    expect(negotiateVersion('1.53')).toBe('1.52');
    expect(negotiateVersion('2.0')).toBe('1.52');
  });

  it("leaves the path unversioned (the engine's own) when the engine does not say", () => {
    expect(negotiateVersion(undefined)).toBe('');
    expect(negotiateVersion('banana')).toBe('');
  });
});

describe('unixSocketOf', () => {
  it('finds the path of a unix:// engine only', () => {
    expect(unixSocketOf('unix:///run/sidhe-docker.sock')).toBe('/run/sidhe-docker.sock');
    expect(unixSocketOf(' unix:///tmp/fwd/docker.sock ')).toBe('/tmp/fwd/docker.sock');
    expect(unixSocketOf('tcp://127.0.0.1:2375')).toBeUndefined();
    expect(unixSocketOf('ssh://deploy@web1')).toBeUndefined();
    expect(unixSocketOf('unix://relative.sock')).toBeUndefined();
    expect(unixSocketOf(undefined)).toBeUndefined();
  });
});
