import { listCheckRuns } from '../../../packages/adapters/github/check-runs.ts';
import { collectReports } from '../../../packages/adapters/reports/collect-reports.ts';
import type { DevopsConfig } from '../../../packages/core/config/index.ts';
import { ConfigurationError } from '../../../packages/core/errors.ts';
import {
  DEFAULT_MIN_COVERAGE,
  evaluateGates,
  namedGateSet,
  resolvePolicy,
  type GateEvaluation,
  type GateEvidence,
  type GatePolicy,
  type NamedGateSet,
} from '../../../packages/core/gates/index.ts';
import type { ActionIO } from '../../../packages/runtime/action-io.ts';
import type { QualityGateInputs } from './quality-gate-inputs.ts';

export interface QualityGateOutcome extends GateEvaluation {
  environment?: string;
  /** The named gate set applied, if any. */
  gateSet?: { name: string } & NamedGateSet;
  /** The report files read, by input. */
  reportFiles: Partial<Record<'junit' | 'coverage' | 'sarif' | 'trivy', string[]>>;
}

export interface QualityGateContext {
  io: ActionIO;
  config: DevopsConfig;
  /** The configuration file's path, for messages. */
  configPath: string;
  /** The runner's GITHUB_REPOSITORY and GITHUB_RUN_ID, for required-checks. */
  repository?: string;
  runId?: string;
}

/** The gate set to apply: the one named by `gates`, else the environment's when it has one. */
function gateSetOf(inputs: QualityGateInputs, { config, configPath }: QualityGateContext): QualityGateOutcome['gateSet'] {
  const sets = config.deployment_strategies;
  const name = inputs.gates ?? (inputs.environment && Object.hasOwn(sets, inputs.environment) ? inputs.environment : undefined);
  return name === undefined ? undefined : { name, ...namedGateSet(sets, name, configPath) };
}

/** A report given without its threshold runs its gate at the default. */
function defaultsFor(reports: QualityGateInputs['reports']): GatePolicy {
  return {
    ...(reports.junit ? { maxFailedTests: 0 } : {}),
    ...(reports.coverage ? { minCoverage: DEFAULT_MIN_COVERAGE } : {}),
    ...(reports.sarif ? { maxSarifErrors: 0 } : {}),
    ...(reports.trivy ? { maxSeverity: 'HIGH' as const } : {}),
  };
}

/**
 * Runs the quality gates: the named gate set and the given thresholds over the reports the patterns
 * match and the commit's check runs. The quality-gate action calls it, and the deploy actions call
 * it before they touch traffic. Bad inputs and unreadable reports throw ConfigurationError; failed
 * gates do not throw: the outcome says which failed and why.
 */
export async function evaluateQualityGates(inputs: QualityGateInputs, context: QualityGateContext): Promise<QualityGateOutcome> {
  const { io } = context;
  const gateSet = gateSetOf(inputs, context);
  const resolved = resolvePolicy(gateSet, inputs.thresholds, defaultsFor(inputs.reports));
  if (Object.keys(resolved.policy).length === 0) {
    throw new ConfigurationError(
      gateSet
        ? `${gateSet.origin} in ${context.configPath} lists no quality gates, and no report or threshold input was given: nothing to check`
        : 'nothing to check: give reports (junit, coverage, sarif, trivy), a threshold, required-checks, or gates naming a gate set',
    );
  }
  const required = resolved.policy.requiredChecks;
  const ref = inputs.ref ?? io.context.commit;
  if (required !== undefined) {
    const missing = [!inputs.githubToken && 'github-token', !context.repository && 'GITHUB_REPOSITORY', !ref && 'GITHUB_SHA (or the ref input)'].filter(
      Boolean,
    );
    if (missing.length > 0) {
      throw new ConfigurationError(`required-checks needs ${missing.join(', ')} to read the commit's check runs; none was given`);
    }
  }

  const evidence: GateEvidence = await collectReports(inputs.reports, io.context.workspace);
  if (required !== undefined) {
    const runs = await listCheckRuns({
      token: inputs.githubToken!,
      repository: context.repository!,
      ref: ref!,
      ...(io.context.githubApiUrl ? { baseUrl: io.context.githubApiUrl } : {}),
    });
    evidence.checks = { ref: ref!, runs, ...(context.runId ? { ownRunId: context.runId } : {}) };
  }
  const evaluation = evaluateGates(resolved, evidence);
  for (const r of evaluation.results) {
    io.log.info(`quality-gate: ${r.gate} ${r.passed ? 'passed' : 'FAILED'}: ${r.value ?? 'no value'} (threshold ${r.threshold}); ${r.details}`);
  }
  const reportFiles: QualityGateOutcome['reportFiles'] = {};
  for (const kind of ['junit', 'coverage', 'sarif', 'trivy'] as const) {
    const set = evidence[kind];
    if (set) reportFiles[kind] = set.reports.map((r) => r.report);
  }
  return {
    ...evaluation,
    ...(inputs.environment ? { environment: inputs.environment } : {}),
    ...(gateSet ? { gateSet } : {}),
    reportFiles,
  };
}
