import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../errors.ts';
import { parseConfig } from './parse-config.ts';

const FILE = '.sidhe/devops.yaml';

function problem(text: string): string {
  try {
    parseConfig(text, FILE);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigurationError');
}

describe('configuration errors', () => {
  it('gives the file, line and column of a YAML syntax error', () => {
    expect(problem('devops_automator:\n  monitoring: {\n')).toBe(
      '.sidhe/devops.yaml:3:1: YAML syntax error: Flow map in block collection must be sufficiently indented and end with a }',
    );
    expect(problem('devops_automator: {}\ndevops_automator: {}\n')).toBe('.sidhe/devops.yaml:2:1: YAML syntax error: Map keys must be unique');
    expect(problem('devops_automator: {}\n---\nhealth_checks: {}\n')).toBe(
      '.sidhe/devops.yaml:2:1: YAML syntax error: the file holds more than one YAML document (---); keep one',
    );
  });

  it('names an unknown key, its place and the keys allowed there', () => {
    expect(problem('devops_automator:\n  monitoring:\n    alert_threshold: { cpu: 80 }\n')).toBe(
      '.sidhe/devops.yaml:3:5: devops_automator.monitoring.alert_threshold: unknown key; ' +
        'allowed keys in devops_automator.monitoring: enabled, health_check_interval, alert_thresholds',
    );
    expect(problem('deployment_strategy: {}\n')).toBe(
      '.sidhe/devops.yaml:1:1: deployment_strategy: unknown key; allowed keys at the top level: ' +
        'devops_automator, deployment_strategies, previews, infrastructure_monitoring, image_lifecycle, health_checks, pipeline_templates',
    );
    expect(problem('deployment_strategies:\n  production: { strategy: canary, gates: [] }\n')).toBe(
      '.sidhe/devops.yaml:2:35: deployment_strategies.production.gates: unknown key; ' +
        'allowed keys in deployment_strategies.production: hosts, strategy, quality_gates, rollback_criteria, auto_promote',
    );
  });

  it.each<[string, string]>([
    ['devops_automator: { enabled: yes }', '1:30: devops_automator.enabled: "yes" is not valid; use true or false'],
    [
      'deployment_strategies: { production: { strategy: rolling } }',
      '1:50: deployment_strategies.production.strategy: "rolling" is not valid; use one of: direct, blue_green, canary',
    ],
    [
      'devops_automator: { deployment: { blue_green: { rollback_timeout: 3 minutes } } }',
      '1:67: devops_automator.deployment.blue_green.rollback_timeout: "3 minutes" is not valid; ' +
        'use seconds (e.g. 60) or a duration with a unit: ms, s, m, h or d (e.g. 30s, 5m) above zero',
    ],
    [
      'devops_automator: { monitoring: { health_check_interval: 0 } }',
      '1:58: devops_automator.monitoring.health_check_interval: 0 is not valid; ' +
        'use seconds (e.g. 60) or a duration with a unit: ms, s, m, h or d (e.g. 30s, 5m) above zero',
    ],
    [
      'devops_automator: { deployment: { canary: { success_threshold: 101% } } }',
      '1:64: devops_automator.deployment.canary.success_threshold: "101%" is not valid; use a percentage from 0 to 100, e.g. 99.5% or 80',
    ],
    [
      'devops_automator: { monitoring: { alert_thresholds: { cpu: 120 } } }',
      '1:60: devops_automator.monitoring.alert_thresholds.cpu: 120 is not valid; use a percentage from 0 to 100, e.g. 99.5% or 80',
    ],
    [
      'devops_automator: { deployment: { canary: { initial_traffic: 0% } } }',
      '1:62: devops_automator.deployment.canary.initial_traffic: "0%" is not valid; use a percentage above 0 and up to 100, e.g. 99.5% or 80',
    ],
    [
      'image_lifecycle: { production: { cleanup_policy: keep_all } }',
      '1:50: image_lifecycle.production.cleanup_policy: "keep_all" is not valid; use keep_latest_N with N a whole number 1 or more, e.g. keep_latest_5',
    ],
    ['image_lifecycle: { staging: { retention_days: 2.5 } }', '1:47: image_lifecycle.staging.retention_days: 2.5 is not valid; use a whole number'],
    [
      'devops_automator: { docker: { registry: "https://ghcr.io" } }',
      '1:41: devops_automator.docker.registry: "https://ghcr.io" is not valid; use a registry host, with a port if needed, e.g. ghcr.io or registry.example.com:5000',
    ],
    [
      'deployment_strategies: { production: { quality_gates: security_scan } }',
      '1:55: deployment_strategies.production.quality_gates: "security_scan" is not valid; use a list',
    ],
    [
      'pipeline_templates: { nightly: { triggers: [cron], stages: [quality_gates] } }',
      '1:21: pipeline_templates: a mapping is not valid; the key was removed: a pipeline is a GitHub Actions workflow that runs the actions in order; see the README',
    ],
    [
      'infrastructure_monitoring: { dashboards: [{ name: Empty, metrics: [] }] }',
      '1:67: infrastructure_monitoring.dashboards[0].metrics: an empty list is not valid; give at least 1 item',
    ],
    [
      'health_checks:\n  intervals:\n',
      '2:13: health_checks.intervals: an empty value is not valid; the key was removed: how often targets are probed is the schedule of the workflow that runs health-check or status (on: schedule), and the interval input within one check',
    ],
    [
      '- devops_automator\n',
      '1:1: top level: a list is not valid; use a mapping with keys: ' +
        'devops_automator, deployment_strategies, previews, infrastructure_monitoring, image_lifecycle, health_checks, pipeline_templates',
    ],
  ])('names the key path, the value given and what is allowed: %j', (text, expected) => {
    expect(problem(text)).toBe(`${FILE}:${expected}`);
  });

  it('names a badly formed environment name', () => {
    expect(problem('deployment_strategies:\n  "prod env": { strategy: direct }\n')).toBe(
      '.sidhe/devops.yaml:2:3: deployment_strategies: key "prod env" is not valid; ' + 'use letters, digits, ".", "_" and "-", starting with a letter or digit',
    );
  });

  it('names what is missing, at the key of the entry that lacks it', () => {
    expect(problem('infrastructure_monitoring:\n  dashboards:\n    - name: Load\n')).toBe(
      '.sidhe/devops.yaml:3:7: infrastructure_monitoring.dashboards[0].metrics: missing; ' +
        'use a list of: cpu, memory, disk, network, response_time, error_rate, active_deployments, success_rate, rollback_rate',
    );
    expect(problem('image_lifecycle:\n  preview:\n    security_scanning: required\n')).toBe(
      '.sidhe/devops.yaml has 2 problems:\n' +
        '  .sidhe/devops.yaml:2:3: image_lifecycle.preview.retention_days: missing; preview has no built-in default; use a whole number of days, 1 or more\n' +
        '  .sidhe/devops.yaml:2:3: image_lifecycle.preview.cleanup_policy: missing; preview has no built-in default; use keep_latest_N, e.g. keep_latest_5',
    );
  });

  it('refuses a canary increment given twice with different values', () => {
    expect(problem('devops_automator:\n  deployment:\n    canary_traffic_increment: 25\n    canary: { increment_percentage: 30% }\n')).toBe(
      '.sidhe/devops.yaml:3:31: devops_automator.deployment.canary_traffic_increment: 25 is not valid; ' +
        'it disagrees with canary.increment_percentage (30); set only one of them',
    );
  });

  it('lists every problem, one line each, in file order', () => {
    expect(
      problem(`deployment_strategies:
  production: { strategy: rolling }
devops_automator:
  monitoring:
    alert_threshold: { cpu: 80 }
  enabled: maybe
`),
    ).toBe(
      [
        '.sidhe/devops.yaml has 3 problems:',
        '  .sidhe/devops.yaml:2:27: deployment_strategies.production.strategy: "rolling" is not valid; use one of: direct, blue_green, canary',
        '  .sidhe/devops.yaml:5:5: devops_automator.monitoring.alert_threshold: unknown key; allowed keys in devops_automator.monitoring: enabled, health_check_interval, alert_thresholds',
        '  .sidhe/devops.yaml:6:12: devops_automator.enabled: "maybe" is not valid; use true or false',
      ].join('\n'),
    );
  });
});
