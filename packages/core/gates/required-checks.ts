import type { GateResult } from './evaluate-gates.ts';
import type { CheckRunView, GateEvidence } from './report-data.ts';

/** Conclusions that do not block: GitHub shows neutral and skipped runs as not failing. */
const PASSING = new Set(['success', 'neutral', 'skipped']);

const verdict = (run: CheckRunView): string => (run.status === 'completed' ? (run.conclusion ?? 'no conclusion') : run.status);

/** The newest run of each name (a re-run adds a run with the same name). */
function latestByName(runs: readonly CheckRunView[]): Map<string, CheckRunView> {
  const latest = new Map<string, CheckRunView>();
  for (const run of runs) if (!latest.has(run.name)) latest.set(run.name, run);
  return latest;
}

/**
 * Required checks: named runs must exist and have completed successfully. `all` asks it of every
 * run on the commit except the unfinished jobs of the workflow run doing the asking, one of which
 * is the gate's own job. Runs are expected newest first, as GitHub lists them.
 */
export function evaluateRequiredChecks(required: string[] | 'all', checks: GateEvidence['checks']): Omit<GateResult, 'from'> {
  const threshold = required === 'all' ? 'all' : required.join(', ');
  if (!checks) return { gate: 'required-checks', value: null, threshold, passed: false, details: 'check runs were not read' };
  const latest = latestByName(checks.runs);
  const own = (run: CheckRunView): boolean =>
    checks.ownRunId !== undefined && run.status !== 'completed' && (run.detailsUrl ?? '').includes(`/actions/runs/${checks.ownRunId}/`);
  const names = required === 'all' ? [...latest.keys()].filter((name) => !own(latest.get(name)!)) : required;
  const problems = names.flatMap((name) => {
    const run = latest.get(name);
    if (!run) return [`${name}: not found`];
    return run.status === 'completed' && PASSING.has(run.conclusion ?? '') ? [] : [`${name}: ${verdict(run)}`];
  });
  const ref = checks.ref.slice(0, 12);
  const passedCount = names.length - problems.length;
  if (required === 'all' && names.length === 0) {
    return { gate: 'required-checks', value: '0 of 0', threshold, passed: true, details: `no other check runs on ${ref}` };
  }
  const found = [...latest.keys()];
  const missingNote = problems.some((p) => p.endsWith(': not found')) ? `; runs on ${ref}: ${found.length ? found.join(', ') : 'none'}` : '';
  return {
    gate: 'required-checks',
    value: `${passedCount} of ${names.length}`,
    threshold,
    passed: problems.length === 0,
    details: problems.length ? `${problems.join('; ')}${missingNote}` : `${names.length} check run(s) succeeded on ${ref}`,
  };
}
