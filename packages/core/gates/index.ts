export type {
  CheckRunView,
  CoverageFormat,
  CoverageReport,
  Finding,
  FindingLevel,
  FindingsReport,
  GateEvidence,
  ReportsOf,
  SourceLocation,
  TestFailure,
  TestReport,
} from './report-data.ts';
export {
  DEFAULT_MIN_COVERAGE,
  GATE_KEYS,
  KNOWN_GATE_NAMES,
  NAMED_GATES,
  namedGateSet,
  resolvePolicy,
  type GateName,
  type GatePolicy,
  type NamedGateSet,
  type ResolvedPolicy,
} from './gate-policy.ts';
export { evaluateGates, type GateEvaluation, type GateResult } from './evaluate-gates.ts';
export { evaluateRequiredChecks } from './required-checks.ts';
