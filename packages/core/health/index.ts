export type { Clock } from './clock.ts';
export { DEFAULT_CRITERIA, DEFAULT_SESSION, type HealthCriteria, type SessionSettings } from './criteria.ts';
export { evaluateTarget, type Failure, type TargetRound } from './evaluate-target.ts';
export { parseHealthPlan, type HealthCheckInputs, type HealthPlan } from './health-plan.ts';
export { formatMs, formatPercent, percentiles, type Percentiles } from './percentiles.ts';
export type {
  ContainerResources,
  ContainerState,
  Observation,
  ProbePlan,
  Prober,
  PrometheusSeries,
  Sample,
} from './prober.ts';
export { parsePrometheusChecks, type Comparison, type Operator } from './prometheus-checks.ts';
export type { HealthReport, RoundFailure, RoundResult, TargetSummary, Totals } from './report.ts';
export { runHealthSession, type SessionDeps } from './session.ts';
export { parseTargets, type HealthTarget } from './targets.ts';
