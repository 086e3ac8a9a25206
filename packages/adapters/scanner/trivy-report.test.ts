import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateScan, type GatePolicy } from '../../core/images/index.ts';
import { parseIgnoreFile } from '../../core/images/ignore-file.ts';
import { normaliseTrivyReport } from './trivy-report.ts';

const fixtures = path.resolve(import.meta.dirname, '../../../test/fixtures/images');
const load = (name: string) => normaliseTrivyReport(JSON.parse(readFileSync(path.join(fixtures, name), 'utf8')));
const vulnerable = load('trivy-vulnerabilities-report.json');
const today = new Date('2026-11-26T09:00:00Z');
const gate = (over: Partial<GatePolicy>) => evaluateScan(vulnerable, { threshold: 'HIGH', ignoreUnfixed: false, ignores: [], today, ...over });

describe('trivy JSON report, as trivy documents it', () => {
  it('normalises vulnerabilities, failed misconfigurations only, and unknown severities', () => {
    expect(vulnerable.artifact).toBe('registry.example.com/acme/shop:1.4.2');
    expect(vulnerable.findings.map((f) => `${f.kind}:${f.id}:${f.severity}:${f.fixedVersion ?? '-'}`)).toEqual([
      'vulnerability:CVE-2023-5363:HIGH:3.1.4-r0',
      'vulnerability:CVE-2023-5678:MEDIUM:3.1.4-r1',
      'vulnerability:CVE-2023-42363:MEDIUM:',
      'vulnerability:CVE-2024-0001:CRITICAL:',
      'vulnerability:CVE-2023-28531:LOW:1.36.1-r5',
      'vulnerability:CVE-2022-25883:HIGH:7.5.2, 6.3.1, 5.7.2',
      'vulnerability:CVE-2021-23337:CRITICAL:4.17.21',
      'vulnerability:GHSA-0000-0000-0000:UNKNOWN:',
      'misconfiguration:DS002:HIGH:-',
    ]);
  });

  it.each([
    ['CRITICAL', ['CVE-2021-23337', 'CVE-2024-0001']],
    ['HIGH', ['CVE-2021-23337', 'CVE-2024-0001', 'CVE-2022-25883', 'CVE-2023-5363', 'DS002']],
    ['MEDIUM', ['CVE-2021-23337', 'CVE-2024-0001', 'CVE-2022-25883', 'CVE-2023-5363', 'DS002', 'CVE-2023-5678', 'CVE-2023-42363']],
  ] as const)('threshold %s blocks exactly those at or above it, fixable first', (threshold, ids) => {
    const result = gate({ threshold });
    expect(result.passed).toBe(false);
    expect(result.blocking.map((f) => f.id)).toEqual(ids);
    expect(result.counts).toEqual({ CRITICAL: 2, HIGH: 3, MEDIUM: 2, LOW: 1, UNKNOWN: 1 });
  });

  it('ignore-unfixed drops vulnerabilities without a fixed version from the counts and the gate', () => {
    const result = gate({ threshold: 'CRITICAL', ignoreUnfixed: true });
    expect(result.unfixedSkipped).toBe(3);
    expect(result.counts).toEqual({ CRITICAL: 1, HIGH: 3, MEDIUM: 1, LOW: 1, UNKNOWN: 0 });
    expect(result.message).toBe(
      'registry.example.com/acme/shop:1.4.2 has 1 finding(s) at or above CRITICAL: CVE-2021-23337 (nodejs-lodash: command injection via template, CRITICAL) in lodash 4.17.20 (fixed in 4.17.21)',
    );
  });

  it('an ignore that holds passes the gate; once expired the finding blocks again', () => {
    const ignoreFile = (expiry: string) =>
      parseIgnoreFile(
        `vulnerabilities:\n  - id: CVE-2021-23337\n    statement: template() never sees user input\n    expired_at: ${expiry}\n  - id: CVE-2024-0001\n    statement: inflate is not used\n    expired_at: 2027-01-31\n`,
        '.sidhe/scan-ignore.yaml',
      );
    const holding = gate({ threshold: 'CRITICAL', ignores: ignoreFile('2026-12-31') });
    expect(holding.passed).toBe(true);
    expect(holding.ignored.map((i) => i.finding.id)).toEqual(['CVE-2024-0001', 'CVE-2021-23337']);
    const expired = gate({ threshold: 'CRITICAL', ignores: ignoreFile('2026-11-25') });
    expect(expired.passed).toBe(false);
    expect(expired.message).toContain('CVE-2021-23337 (nodejs-lodash: command injection via template, CRITICAL)');
    expect(expired.message).toContain('(the ignore of CVE-2021-23337 expired on 2026-11-25, so it counts again)');
  });

  it('reads the secret finding of a report the real trivy wrote, without copying the secret', () => {
    const report = load('trivy-secret-report.json');
    expect(report.artifact).toBe('sidhe-probe:secret');
    expect(report.findings).toEqual([
      { kind: 'secret', id: 'aws-access-key-id', severity: 'CRITICAL', target: '/app/credentials', title: 'AWS Access Key ID', line: 1 },
    ]);
    const result = evaluateScan(report, { threshold: 'HIGH', ignoreUnfixed: true, ignores: [], today });
    expect(result.message).toBe(
      'sidhe-probe:secret has 1 finding(s) at or above HIGH: secret aws-access-key-id (AWS Access Key ID, CRITICAL) in /app/credentials:1',
    );
  });

  it('rejects what is not a trivy v2 report', () => {
    expect(() => normaliseTrivyReport([])).toThrow('not a trivy JSON report');
    expect(() => normaliseTrivyReport({ SchemaVersion: 1 })).toThrow('trivy report SchemaVersion 1 is not supported; expected 2');
  });
});
