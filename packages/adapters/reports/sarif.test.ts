import { describe, expect, it } from 'vitest';
import { fixture } from './fixtures.ts';
import { cvssSeverity, parseSarif } from './sarif.ts';

const read = (name: string) => parseSarif(name, fixture(name));
const tally = (name: string) => {
  const { findings } = read(name);
  const live = findings.filter((f) => !f.suppressed);
  const level = (l: string) => live.filter((f) => f.level === l).length;
  return { error: level('error'), warning: level('warning'), note: level('note'), suppressed: findings.length - live.length };
};

describe('SARIF 2.1.0 as real tools write it', () => {
  it('ESLint: 5 problems (3 errors, 2 warnings), and the eslint-disable comment as a suppression', () => {
    expect(read('sarif/eslint.sarif').tool).toBe('ESLint');
    expect(tally('sarif/eslint.sarif')).toEqual({ error: 3, warning: 2, note: 0, suppressed: 1 });
    expect(read('sarif/eslint.sarif').findings[0]).toEqual({
      report: 'sarif/eslint.sarif',
      tool: 'ESLint',
      rule: 'no-unused-vars',
      message: "'tax' is assigned a value but never used.",
      level: 'error',
      file: '/tmp/fx/lint/src/checkout.js',
      line: 2,
      suppressed: false,
    });
  });

  it('trivy: 5 results, the severity from security-severity (3 CRITICAL secrets, 1 HIGH, 1 LOW misconfiguration)', () => {
    const { findings, tool } = read('sarif/trivy-fs.sarif');
    expect(tool).toBe('Trivy');
    expect(tally('sarif/trivy-fs.sarif')).toEqual({ error: 4, warning: 0, note: 1, suppressed: 0 });
    expect(findings.map((f) => [f.rule, f.severity, f.file, f.line])).toEqual([
      ['DS002', 'HIGH', 'Dockerfile', 1],
      ['DS026', 'LOW', 'Dockerfile', 1],
      ['aws-access-key-id', 'CRITICAL', 'config/settings.py', 2],
      ['aws-secret-access-key', 'CRITICAL', 'config/settings.py', 3],
      ['github-pat', 'CRITICAL', 'deploy/release.sh', 3],
    ]);
  });

  it("CodeQL: levels from the query pack's rules (results carry none), reached through rule.toolComponent", () => {
    const { findings, tool } = read('sarif/codeql-javascript.sarif');
    expect(tool).toBe('CodeQL');
    expect(findings.map((f) => [f.rule, f.level, f.severity, f.file, f.line])).toEqual([
      ['js/sql-injection', 'error', 'HIGH', 'src/routes/orders.js', 14],
      ['js/reflected-xss', 'error', 'MEDIUM', 'src/routes/search.js', 9],
      ['js/missing-rate-limiting', 'warning', 'HIGH', 'src/routes/orders.js', 11],
      ['js/unused-local-variable', 'note', undefined, 'src/util/format.js', 3],
    ]);
  });

  it('follows the spec where a result is not a failure, has no level, or sits in a baseline as fixed', () => {
    const log = {
      version: '2.1.0',
      runs: [
        {
          tool: { driver: { name: 'demo', rules: [{ id: 'r1' }] } },
          results: [
            { ruleId: 'r1', message: { text: 'plain' } },
            { ruleId: 'r1', kind: 'pass', level: 'error', message: { text: 'passed' } },
            { ruleId: 'r1', level: 'error', baselineState: 'absent', message: { text: 'fixed' } },
            { ruleId: 'r1', level: 'error', suppressions: [{ kind: 'external', status: 'rejected' }], message: { text: 'rejected' } },
          ],
        },
      ],
    };
    const { findings } = parseSarif('demo.sarif', JSON.stringify(log));
    expect(findings.map((f) => [f.message, f.level, f.suppressed])).toEqual([
      ['plain', 'warning', false],
      ['passed', 'none', false],
      ['rejected', 'error', false],
    ]);
  });

  it('reads security-severity as GitHub does', () => {
    expect([9.5, 9, 8.9, 7, 6.9, 4, 3.9, 0.1, 0].map(cvssSeverity)).toEqual([
      'CRITICAL',
      'CRITICAL',
      'HIGH',
      'HIGH',
      'MEDIUM',
      'MEDIUM',
      'LOW',
      'LOW',
      undefined,
    ]);
  });
});

describe('SARIF that cannot be read', () => {
  it('names the truncated file', () => {
    expect(() => read('malformed/truncated.sarif')).toThrow(/^sarif report malformed\/truncated.sarif is not valid JSON: /);
  });

  it('names a log of another version or no log at all', () => {
    expect(() => parseSarif('old.sarif', '{"version":"1.0.0","runs":[]}')).toThrow('sarif report old.sarif is SARIF version "1.0.0"; only 2.1.0 is read');
    expect(() => parseSarif('x.json', '[]')).toThrow('sarif report x.json has no "runs" array; is it a SARIF log?');
  });

  it.each([
    ['root:x:0:0:root:/root:/bin/bash\nSECRET=hunter2\n', 'unexpected character "r"'],
    ['{"runs": [],\n "x" "SECRET=hunter2"}', 'unexpected text at line 2, column 6'],
    ['  \n', 'the file is empty'],
  ])('names what is wrong with text that is not JSON without quoting it: %j', (text, why) => {
    expect(() => parseSarif('not.sarif', text)).toThrow(new RegExp(`^sarif report not\\.sarif is not valid JSON: ${why}$`));
  });
});
