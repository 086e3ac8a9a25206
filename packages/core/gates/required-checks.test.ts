import { describe, expect, it } from 'vitest';
import { evaluateRequiredChecks } from './required-checks.ts';
import type { CheckRunView } from './report-data.ts';

const run = (name: string, status: string, conclusion: string | null, runId = '7'): CheckRunView => ({
  name,
  status,
  conclusion,
  detailsUrl: `https://github.com/acme/shop/actions/runs/${runId}/job/1`,
});
const checks = (runs: CheckRunView[]) => ({ ref: 'abc123def4567890', runs, ownRunId: '9' });

describe('required checks', () => {
  it('pass when every named run completed with success, neutral or skipped', () => {
    const result = evaluateRequiredChecks(
      ['build', 'lint', 'docs'],
      checks([run('build', 'completed', 'success'), run('lint', 'completed', 'neutral'), run('docs', 'completed', 'skipped')]),
    );
    expect(result).toEqual({
      gate: 'required-checks',
      value: '3 of 3',
      threshold: 'build, lint, docs',
      passed: true,
      details: '3 check run(s) succeeded on abc123def456',
    });
  });

  it('name each run that failed, is unfinished or is missing, and list the runs there are', () => {
    const result = evaluateRequiredChecks(['build', 'lint', 'e2e'], checks([run('build', 'completed', 'failure'), run('lint', 'in_progress', null)]));
    expect(result).toMatchObject({
      value: '0 of 3',
      passed: false,
      details: 'build: failure; lint: in_progress; e2e: not found; runs on abc123def456: build, lint',
    });
  });

  it('read only the newest run of a name (runs come newest first)', () => {
    const result = evaluateRequiredChecks(['build'], checks([run('build', 'completed', 'success'), run('build', 'completed', 'failure')]));
    expect(result.passed).toBe(true);
  });

  it('with `all`, leave out the unfinished jobs of the asking workflow run but not its finished ones', () => {
    const runs = [run('quality-gate', 'in_progress', null, '9'), run('build', 'completed', 'success', '9'), run('codeql', 'completed', 'failure', '3')];
    expect(evaluateRequiredChecks('all', checks(runs))).toMatchObject({ value: '1 of 2', threshold: 'all', passed: false, details: 'codeql: failure' });
    expect(evaluateRequiredChecks('all', checks(runs.slice(0, 2)))).toMatchObject({ value: '1 of 1', passed: true });
    expect(evaluateRequiredChecks('all', checks(runs.slice(0, 1)))).toMatchObject({
      value: '0 of 0',
      passed: true,
      details: 'no other check runs on abc123def456',
    });
  });

  it('fail when the runs could not be read', () => {
    expect(evaluateRequiredChecks('all', undefined)).toMatchObject({ passed: false, details: 'check runs were not read' });
  });
});
