import { ConfigurationError, invalidValue } from '../errors.ts';
import type { Severity } from '../images/severity.ts';

/** The thresholds a quality gate applies; a gate runs only when its threshold is set. */
export interface GatePolicy {
  maxFailedTests?: number;
  minCoverage?: number;
  maxSarifErrors?: number;
  maxSeverity?: Exclude<Severity, 'UNKNOWN'>;
  requiredChecks?: string[] | 'all';
}

export type GateName = 'max-failed-tests' | 'min-coverage' | 'max-sarif-errors' | 'max-severity' | 'required-checks';

/** Which threshold each gate sets, by the key it has in GatePolicy. */
export const GATE_KEYS: Record<GateName, keyof GatePolicy> = {
  'max-failed-tests': 'maxFailedTests',
  'min-coverage': 'minCoverage',
  'max-sarif-errors': 'maxSarifErrors',
  'max-severity': 'maxSeverity',
  'required-checks': 'requiredChecks',
};

export const DEFAULT_MIN_COVERAGE = 80;

/**
 * The gate names `deployment_strategies.<env>.quality_gates` may list, and the threshold each one
 * sets when the inputs do not set it themselves.
 */
export const NAMED_GATES: Readonly<Record<string, { gate: GateName; policy: GatePolicy }>> = {
  basic_tests: { gate: 'max-failed-tests', policy: { maxFailedTests: 0 } },
  performance_test: { gate: 'max-failed-tests', policy: { maxFailedTests: 0 } },
  coverage_check: { gate: 'min-coverage', policy: { minCoverage: DEFAULT_MIN_COVERAGE } },
  linting_check: { gate: 'max-sarif-errors', policy: { maxSarifErrors: 0 } },
  security_scan: { gate: 'max-severity', policy: { maxSeverity: 'HIGH' } },
};

export const KNOWN_GATE_NAMES = Object.keys(NAMED_GATES).sort();

export interface NamedGateSet {
  /** Where the names came from, for messages: `deployment_strategies.production.quality_gates`. */
  origin: string;
  names: string[];
}

export interface ResolvedPolicy {
  policy: GatePolicy;
  /** For each gate that runs, what asked for it: named gates, `input min-coverage`, or `junit given`. */
  from: Partial<Record<GateName, string[]>>;
}

/**
 * Merges a named gate set with the thresholds given as inputs: a threshold given as an input wins
 * over the named gate's, and a report given without a threshold runs its gate at the default.
 */
export function resolvePolicy(named: NamedGateSet | undefined, given: GatePolicy, defaults: GatePolicy): ResolvedPolicy {
  const policy: GatePolicy = {};
  const from: ResolvedPolicy['from'] = {};
  const note = (gate: GateName, why: string): void => void (from[gate] ??= []).push(why);
  for (const name of named?.names ?? []) {
    const entry = NAMED_GATES[name];
    if (!entry) {
      throw new ConfigurationError(`${named!.origin} names the unknown quality gate ${JSON.stringify(name)}; known gates: ${KNOWN_GATE_NAMES.join(', ')}`);
    }
    Object.assign(policy, entry.policy);
    note(entry.gate, name);
  }
  for (const [gate, key] of Object.entries(GATE_KEYS) as [GateName, keyof GatePolicy][]) {
    if (given[key] !== undefined) {
      Object.assign(policy, { [key]: given[key] });
      note(gate, `input ${gate}`);
    } else if (policy[key] === undefined && defaults[key] !== undefined) {
      Object.assign(policy, { [key]: defaults[key] });
      note(gate, 'default');
    }
  }
  return { policy, from };
}

/** The named gate set of an environment, or an error listing the sets the configuration has. */
export function namedGateSet(sets: Record<string, { quality_gates: string[] }>, setName: string, configPath: string): NamedGateSet {
  if (!Object.hasOwn(sets, setName)) {
    const known = Object.keys(sets);
    throw invalidValue(
      'gates',
      setName,
      known.length
        ? `use an environment of deployment_strategies in ${configPath}: ${known.join(', ')}`
        : `${configPath} has no deployment_strategies; add one with quality_gates, e.g. production: { quality_gates: [${KNOWN_GATE_NAMES.join(', ')}] }`,
    );
  }
  return { origin: `deployment_strategies.${setName}.quality_gates`, names: sets[setName]!.quality_gates };
}
