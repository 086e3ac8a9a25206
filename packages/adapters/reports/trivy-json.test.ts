import { describe, expect, it } from 'vitest';
import { fixture } from './fixtures.ts';
import { parseTrivyJson } from './trivy-json.ts';

describe('trivy JSON', () => {
  it('a file-system scan: the secrets and failed misconfigurations trivy counted (CRITICAL 3, HIGH 1, LOW 1)', () => {
    const { findings } = parseTrivyJson('trivy/trivy-fs.json', fixture('trivy/trivy-fs.json'));
    expect(findings.map((f) => [f.rule, f.severity, f.level, f.file, f.line])).toEqual([
      ['DS002', 'HIGH', 'error', 'Dockerfile', undefined],
      ['DS026', 'LOW', 'note', 'Dockerfile', undefined],
      ['aws-access-key-id', 'CRITICAL', 'error', 'config/settings.py', 2],
      ['aws-secret-access-key', 'CRITICAL', 'error', 'config/settings.py', 3],
      ['github-pat', 'CRITICAL', 'error', 'deploy/release.sh', 3],
    ]);
    expect(findings[2]!.message).toBe('AWS Access Key ID');
    expect(JSON.stringify(findings)).not.toContain('AKIA');
  });

  it('names a file that is not JSON, or not a trivy report', () => {
    expect(() => parseTrivyJson('scan.json', '{"Results": [')).toThrow(/^trivy report scan.json is not valid JSON: /);
    expect(() => parseTrivyJson('scan.json', '{"SchemaVersion": 1}')).toThrow(
      'trivy report scan.json cannot be read: trivy report SchemaVersion 1 is not supported',
    );
  });
});
