import { describe, expect, it } from 'vitest';
import { namedGateSet, resolvePolicy } from './gate-policy.ts';

const production = { origin: 'deployment_strategies.production.quality_gates', names: ['linting_check', 'security_scan', 'performance_test'] };

describe('named gate sets', () => {
  it('map each gate name to a threshold', () => {
    expect(resolvePolicy(production, {}, {})).toEqual({
      policy: { maxSarifErrors: 0, maxSeverity: 'HIGH', maxFailedTests: 0 },
      from: { 'max-sarif-errors': ['linting_check'], 'max-severity': ['security_scan'], 'max-failed-tests': ['performance_test'] },
    });
    expect(resolvePolicy({ origin: 'x', names: ['basic_tests', 'coverage_check'] }, {}, {}).policy).toEqual({ maxFailedTests: 0, minCoverage: 80 });
  });

  it('let thresholds given as inputs win, and apply defaults only where nothing else set a threshold', () => {
    const resolved = resolvePolicy({ origin: 'x', names: ['coverage_check'] }, { minCoverage: 90 }, { minCoverage: 80, maxFailedTests: 0 });
    expect(resolved.policy).toEqual({ minCoverage: 90, maxFailedTests: 0 });
    expect(resolved.from).toEqual({ 'min-coverage': ['coverage_check', 'input min-coverage'], 'max-failed-tests': ['default'] });
  });

  it('refuse an unknown gate name, listing the known ones', () => {
    expect(() => resolvePolicy({ ...production, names: ['lint'] }, {}, {})).toThrow(
      'deployment_strategies.production.quality_gates names the unknown quality gate "lint"; known gates: basic_tests, coverage_check, linting_check, performance_test, security_scan',
    );
  });

  it('are looked up by environment, naming the ones the configuration has', () => {
    const sets = { production: { quality_gates: ['security_scan'] }, staging: { quality_gates: [] } };
    expect(namedGateSet(sets, 'production', '.sidhe/devops.yaml')).toEqual({
      origin: 'deployment_strategies.production.quality_gates',
      names: ['security_scan'],
    });
    expect(() => namedGateSet(sets, 'prod', '.sidhe/devops.yaml')).toThrow(
      'gates: "prod" is not valid; use an environment of deployment_strategies in .sidhe/devops.yaml: production, staging',
    );
    expect(() => namedGateSet({}, 'prod', 'ci.yaml')).toThrow('gates: "prod" is not valid; ci.yaml has no deployment_strategies');
  });
});
