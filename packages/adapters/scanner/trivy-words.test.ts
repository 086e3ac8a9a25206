import { describe, expect, it } from 'vitest';
import { pinnedTrivyRelease } from './trivy-install.ts';
import { trivyWords } from './trivy-scanner.ts';

describe('trivy’s words', () => {
  it('quotes FATAL lines without timestamps and colours', () => {
    const stderr =
      '2026-11-26T20:12:31.395Z\t\u001b[34mINFO\u001b[0m\tVulnerability scanning is enabled\n2026-11-26T20:12:33.000Z\t\u001b[31mFATAL\u001b[0m\timage scan error: unable to find the specified image "x"\n';
    expect(trivyWords(stderr)).toBe('FATAL image scan error: unable to find the specified image "x"');
  });

  it('explains a vulnerability database it could not fetch', () => {
    const stderr = '2026-11-26T20:12:31.395Z\tINFO\tNeed to update DB\n2026-11-26T20:12:31.396Z\tINFO\tDownloading DB...\n';
    expect(trivyWords(stderr)).toBe(
      "INFO Downloading DB... (trivy could not fetch its vulnerability database; on a runner without access to ghcr.io, scan with scanners: secret,misconfig or provide trivy's cache)",
    );
  });

  it('pins a release per platform, with a checksum', () => {
    expect(pinnedTrivyRelease('linux-x64')).toEqual({
      version: '0.63.0',
      url: 'https://github.com/aquasecurity/trivy/releases/download/v0.63.0/trivy_0.63.0_Linux-64bit.tar.gz',
      sha256: 'ea91fa393cfcb802da22832c96e99a4c8a295a8ba8faefd824c7168b7f0a741e',
    });
    expect(pinnedTrivyRelease('win32-x64')).toBeUndefined();
  });
});
