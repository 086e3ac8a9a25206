import type { GatePolicy } from '../../../packages/core/gates/index.ts';
import { invalidValue } from '../../../packages/core/errors.ts';
import { parseInteger, parseList, parsePercentage } from '../../../packages/core/inputs/index.ts';
import type { ReportPatterns } from '../../../packages/adapters/reports/collect-reports.ts';
import type { InputName } from '../../../packages/runtime/action-definition.ts';
import type { qualityGate } from '../../quality-gate/definition.ts';

/** What a quality gate is asked to check, typed; the deploy actions build one too. */
export interface QualityGateInputs {
  reports: ReportPatterns;
  /** Only the thresholds the user gave: defaults and named gates are applied later. */
  thresholds: GatePolicy;
  /** A deployment_strategies environment whose quality_gates apply. */
  gates?: string;
  environment?: string;
  githubToken?: string;
  /** Commit whose check runs are read; default GITHUB_SHA. */
  ref?: string;
}

const SEVERITY_THRESHOLDS = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;

type Raw = (name: InputName<typeof qualityGate>) => string;

/** Glob patterns: one a line, since a comma may be part of a pattern. */
const lines = (raw: string): string[] | undefined => {
  const list = parseList(raw, { commas: false });
  return list.length ? list : undefined;
};

function parseSeverity(raw: string): GatePolicy['maxSeverity'] {
  const upper = raw.trim().toUpperCase();
  const found = SEVERITY_THRESHOLDS.find((s) => s === upper);
  if (!found) throw invalidValue('max-severity', raw, `use one of: ${SEVERITY_THRESHOLDS.join(', ')}`);
  return found;
}

function parseRequiredChecks(raw: string): string[] | 'all' | undefined {
  if (raw.trim().toLowerCase() === 'all') return 'all';
  // One name a line: matrix job names carry commas, e.g. `test (ubuntu-latest, 24)`.
  return lines(raw);
}

/** Parses the quality-gate inputs as given (an empty input is not given). */
export function readQualityGateInputs(get: Raw): QualityGateInputs {
  const optional = <T>(name: InputName<typeof qualityGate>, parse: (raw: string) => T): T | undefined => {
    const raw = get(name).trim();
    return raw === '' ? undefined : parse(raw);
  };
  const reports: ReportPatterns = {};
  for (const kind of ['junit', 'coverage', 'sarif', 'trivy'] as const) {
    const list = lines(get(kind));
    if (list) reports[kind] = list;
  }
  const thresholds: GatePolicy = {};
  const maxFailedTests = optional('max-failed-tests', (raw) => parseInteger('max-failed-tests', raw, { min: 0 }));
  const minCoverage = optional('min-coverage', (raw) => parsePercentage('min-coverage', raw));
  const maxSarifErrors = optional('max-sarif-errors', (raw) => parseInteger('max-sarif-errors', raw, { min: 0 }));
  const maxSeverity = optional('max-severity', parseSeverity);
  const requiredChecks = optional('required-checks', parseRequiredChecks);
  if (maxFailedTests !== undefined) thresholds.maxFailedTests = maxFailedTests;
  if (minCoverage !== undefined) thresholds.minCoverage = minCoverage;
  if (maxSarifErrors !== undefined) thresholds.maxSarifErrors = maxSarifErrors;
  if (maxSeverity !== undefined) thresholds.maxSeverity = maxSeverity;
  if (requiredChecks !== undefined) thresholds.requiredChecks = requiredChecks;
  const text = (name: InputName<typeof qualityGate>): string | undefined => optional(name, (raw) => raw);
  const gates = text('gates');
  const environment = text('environment');
  const githubToken = text('github-token');
  const ref = text('ref');
  return {
    reports,
    thresholds,
    ...(gates ? { gates } : {}),
    ...(environment ? { environment } : {}),
    ...(githubToken ? { githubToken } : {}),
    ...(ref ? { ref } : {}),
  };
}
