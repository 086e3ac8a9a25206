import { describe, expect, it } from 'vitest';
import { parseIgnoreFile } from './ignore-file.ts';
import type { Finding } from './scan-findings.ts';
import { evaluateScan, type GatePolicy } from './scan-gate.ts';
import { parseSeverityThreshold } from './severity.ts';

const vuln = (id: string, severity: Finding['severity'], fixedVersion = '1.0.1'): Finding => ({
  kind: 'vulnerability',
  id,
  severity,
  target: 'alpine 3.18',
  title: `${id} title`,
  packageName: 'pkg',
  installedVersion: '1.0.0',
  fixedVersion,
});
const today = new Date('2026-11-26T15:00:00Z');
const policy = (over: Partial<GatePolicy> = {}): GatePolicy => ({ threshold: 'HIGH', ignoreUnfixed: false, ignores: [], today, ...over });

describe('scan gate', () => {
  it('fails at or above the threshold and passes below it', () => {
    const report = { artifact: 'shop:1', findings: [vuln('CVE-1', 'MEDIUM'), vuln('CVE-2', 'HIGH')] };
    const high = evaluateScan(report, policy());
    expect(high.passed).toBe(false);
    expect(high.message).toBe('shop:1 has 1 finding(s) at or above HIGH: CVE-2 (CVE-2 title, HIGH) in pkg 1.0.0 (fixed in 1.0.1)');
    expect(evaluateScan(report, policy({ threshold: 'CRITICAL' })).passed).toBe(true);
    expect(evaluateScan(report, policy({ threshold: 'MEDIUM' })).blocking.map((f) => f.id)).toEqual(['CVE-2', 'CVE-1']);
  });

  it('skips unfixed vulnerabilities only when asked, and never skips secrets', () => {
    const secret: Finding = { kind: 'secret', id: 'aws-access-key-id', severity: 'CRITICAL', target: '/app/credentials', title: 'AWS Access Key ID', line: 1 };
    const report = { artifact: 'shop:1', findings: [vuln('CVE-3', 'CRITICAL', ''), secret] };
    const result = evaluateScan(report, policy({ ignoreUnfixed: true }));
    expect(result.unfixedSkipped).toBe(1);
    expect(result.message).toBe('shop:1 has 1 finding(s) at or above HIGH: secret aws-access-key-id (AWS Access Key ID, CRITICAL) in /app/credentials:1');
    expect(evaluateScan(report, policy()).blocking).toHaveLength(2);
  });

  it('honours an ignore through its expiry day and counts the finding again after it', () => {
    const ignores = parseIgnoreFile('vulnerabilities:\n  - id: CVE-2\n    statement: not reachable\n    expired_at: 2026-11-26\n', 'ignore.yaml');
    const report = { artifact: 'shop:1', findings: [vuln('CVE-2', 'CRITICAL')] };
    const onTheDay = evaluateScan(report, policy({ ignores }));
    expect(onTheDay.passed).toBe(true);
    expect(onTheDay.ignored.map((i) => i.rule.statement)).toEqual(['not reachable']);
    const dayAfter = evaluateScan(report, policy({ ignores, today: new Date('2026-11-27T00:00:01Z') }));
    expect(dayAfter.passed).toBe(false);
    expect(dayAfter.expired).toHaveLength(1);
    expect(dayAfter.message).toContain('(the ignore of CVE-2 expired on 2026-11-26, so it counts again)');
  });

  it('parses the threshold case-insensitively and rejects others', () => {
    expect(parseSeverityThreshold('high')).toBe('HIGH');
    expect(() => parseSeverityThreshold('SEVERE')).toThrow('severity-threshold: "SEVERE" is not valid; use one of: LOW, MEDIUM, HIGH, CRITICAL');
  });
});

describe('ignore file', () => {
  it('reads every section, quoted or unquoted dates', () => {
    const rules = parseIgnoreFile(
      [
        'vulnerabilities:',
        '  - { id: CVE-1, statement: a, expired_at: 2026-01-31 }',
        'secrets:',
        '  - { id: aws-access-key-id, statement: b, expired_at: "2026-02-01" }',
        'misconfigurations:',
        '  - { id: DS002, statement: c, expired_at: 2026-03-01 }',
      ].join('\n'),
      'x',
    );
    expect(rules).toEqual([
      { kind: 'vulnerability', id: 'CVE-1', statement: 'a', expiresOn: '2026-01-31' },
      { kind: 'secret', id: 'aws-access-key-id', statement: 'b', expiresOn: '2026-02-01' },
      { kind: 'misconfiguration', id: 'DS002', statement: 'c', expiresOn: '2026-03-01' },
    ]);
  });

  it('requires a reason and an expiry, naming the entry', () => {
    expect(() => parseIgnoreFile('vulnerabilities:\n  - id: CVE-1\n', '.sidhe/scan-ignore.yaml')).toThrow(
      'ignore-file .sidhe/scan-ignore.yaml: vulnerabilities.0.statement: is required; vulnerabilities.0.expired_at: is required (each entry of vulnerabilities, secrets or misconfigurations needs id, statement and expired_at)',
    );
    expect(() => parseIgnoreFile('secrets:\n  - {id: x, statement: y, expired_at: next week}\n', 'f')).toThrow(
      'ignore-file f: secrets.0.expired_at: use a date YYYY-MM-DD, the last day the ignore holds',
    );
    expect(() => parseIgnoreFile('cves: []\n', 'f')).toThrow('ignore-file f: (top level): unknown key "cves"');
    expect(() => parseIgnoreFile('a: [\n', 'f')).toThrow('ignore-file f is not valid YAML:');
  });
});
