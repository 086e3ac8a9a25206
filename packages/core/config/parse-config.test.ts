import { describe, expect, it } from 'vitest';
import { parseConfig } from './parse-config.ts';

const FILE = '.sidhe/devops.yaml';
const defaults = () => parseConfig('', FILE);

describe('parseConfig', () => {
  it('loads the example from the issue', () => {
    const config = parseConfig(
      `devops_automator:
  monitoring:
    health_check_interval: 60
    alert_thresholds: { cpu: 80, memory: 85, disk: 90 }
  deployment:
    default_strategy: blue_green
deployment_strategies:
  production: { strategy: blue_green, quality_gates: [linting_check, security_scan] }
`,
      FILE,
    );
    expect(config.devops_automator.monitoring).toEqual({
      enabled: true,
      health_check_interval: 60_000,
      alert_thresholds: { cpu: 80, memory: 85, disk: 90 },
    });
    expect(config.devops_automator.deployment.default_strategy).toBe('blue_green');
    expect(config.deployment_strategies).toEqual({
      production: {
        strategy: 'blue_green',
        quality_gates: ['linting_check', 'security_scan'],
        rollback_criteria: ['health_check_failure'],
      },
    });
  });

  it("loads the brief's basic and advanced examples, with its other blocks in their places (but those it removed)", () => {
    const config = parseConfig(BRIEF_EXAMPLES, FILE);
    expect(config.devops_automator.deployment.canary.increment_percentage).toBe(20);
    expect(config.deployment_strategies['staging']).toEqual({
      strategy: 'direct',
      quality_gates: ['basic_tests'],
      rollback_criteria: ['health_check_failure'],
    });
    expect(config.deployment_strategies['production']?.rollback_criteria).toEqual(['health_check_failure', 'error_rate_threshold']);
    expect(config.infrastructure_monitoring.dashboards.map((d) => d.refresh_interval)).toEqual([30_000, 60_000]);
    // The brief's numbers are the defaults, so writing them all out changes nothing.
    expect({ ...config, deployment_strategies: {} }).toEqual(defaults());
  });

  it("defaults to the brief's numbers, durations in milliseconds", () => {
    expect(defaults()).toEqual({
      devops_automator: {
        enabled: true,
        ci_cd: { auto_deploy_branches: ['main', 'staging'], quality_gates_required: true },
        docker: { registry: 'ghcr.io', image_scanning: true, lifecycle_management: true },
        monitoring: { enabled: true, health_check_interval: 60_000, alert_thresholds: { cpu: 80, memory: 85, disk: 90 } },
        deployment: {
          hosts: [],
          default_strategy: 'blue_green',
          rollback_automation: true,
          blue_green: { health_check_timeout: 300_000, traffic_switch_delay: 60_000, rollback_timeout: 180_000 },
          canary: { initial_traffic: 10, increment_percentage: 20, increment_interval: 300_000, success_threshold: 99.5 },
        },
        events: {},
      },
      deployment_strategies: {},
      previews: {
        ports: { first: 9100, last: 9199 },
        host: 'pr-{number}.preview.example.com',
        url: 'https://{host}',
        listen: '80',
        max_age: 604_800_000,
        max_count: 10,
      },
      infrastructure_monitoring: {
        dashboards: [
          { name: 'SIDHE Health', metrics: ['cpu', 'memory', 'disk', 'network'], refresh_interval: 30_000 },
          { name: 'Deployment Status', metrics: ['active_deployments', 'success_rate', 'rollback_rate'], refresh_interval: 60_000 },
        ],
      },
      image_lifecycle: {
        development: { retention_days: 7, cleanup_policy: { keep_latest: 10 }, security_scanning: 'optional' },
        staging: { retention_days: 30, cleanup_policy: { keep_latest: 5 }, security_scanning: 'optional' },
        production: { retention_days: 90, cleanup_policy: { keep_latest: 3 }, security_scanning: 'required' },
      },
      health_checks: { thresholds: { response_time: 2_000 } },
    });
  });

  it('reads a file of comments, or an empty mapping, as all defaults', () => {
    expect(parseConfig('# nothing yet\n', FILE)).toEqual(defaults());
    expect(parseConfig('{}', FILE)).toEqual(defaults());
  });

  it('accepts durations as seconds or with units, and percentages with or without %', () => {
    const config = parseConfig(
      `devops_automator:
  deployment:
    blue_green: { health_check_timeout: 5m, traffic_switch_delay: 0, rollback_timeout: "90" }
    canary: { initial_traffic: 5, success_threshold: "99.9%", increment_interval: 1m30s }
health_checks:
  thresholds: { response_time: 750ms }
`,
      FILE,
    );
    expect(config.devops_automator.deployment.blue_green).toEqual({
      health_check_timeout: 300_000,
      traffic_switch_delay: 0,
      rollback_timeout: 90_000,
    });
    expect(config.devops_automator.deployment.canary).toMatchObject({ initial_traffic: 5, success_threshold: 99.9, increment_interval: 90_000 });
    expect(config.health_checks.thresholds).toMatchObject({ response_time: 750 });
  });

  it('takes canary_traffic_increment as the canary increment', () => {
    const config = parseConfig('devops_automator: { deployment: { canary_traffic_increment: 25 } }', FILE);
    expect(config.devops_automator.deployment.canary.increment_percentage).toBe(25);
    expect(config.devops_automator.deployment).not.toHaveProperty('canary_traffic_increment');
  });

  it('merges image lifecycles over the built-in ones, key by key', () => {
    const config = parseConfig(
      `image_lifecycle:
  production: { retention_days: 120 }
  preview: { retention_days: 2, cleanup_policy: keep_latest_1 }
`,
      FILE,
    );
    expect(config.image_lifecycle).toEqual({
      ...defaults().image_lifecycle,
      production: { retention_days: 120, cleanup_policy: { keep_latest: 3 }, security_scanning: 'required' },
      preview: { retention_days: 2, cleanup_policy: { keep_latest: 1 }, security_scanning: 'optional' },
    });
  });

  it.each([
    [
      'devops_automator: { ci_cd: { provider: gitlab } }',
      'devops_automator.ci_cd.provider: "gitlab" is not valid; the key was removed: the suite runs on GitHub Actions only',
    ],
    [
      'deployment_strategies: { staging: { auto_promote: true } }',
      'deployment_strategies.staging.auto_promote: true is not valid; the key was removed: promote with a workflow job',
    ],
    [
      'health_checks: { intervals: { critical_services: 30s } }',
      'health_checks.intervals: a mapping is not valid; the key was removed: how often targets are probed is the schedule',
    ],
    [
      'health_checks: { thresholds: { cpu_usage: 80% } }',
      'health_checks.thresholds.cpu_usage: "80%" is not valid; the key was removed: use devops_automator.monitoring.alert_thresholds.cpu',
    ],
    [
      'pipeline_templates: { production_pipeline: { triggers: [push_to_main] } }',
      'pipeline_templates: a mapping is not valid; the key was removed: a pipeline is a GitHub Actions workflow',
    ],
  ])('refuses a removed key, saying what replaces it: %s', (yaml, message) => {
    expect(() => parseConfig(yaml, FILE)).toThrow(message);
  });

  it("accepts a removed key with the value that says what the suite does anyway (the brief's), and keeps nothing of it", () => {
    const config = parseConfig('devops_automator: { ci_cd: { provider: github_actions } }\ndeployment_strategies: { staging: { auto_promote: false } }', FILE);
    expect(config).toEqual({ ...defaults(), deployment_strategies: { staging: { quality_gates: [], rollback_criteria: ['health_check_failure'] } } });
  });
});

const BRIEF_EXAMPLES = `
devops_automator:
  enabled: true

  ci_cd:
    provider: "github_actions"
    auto_deploy_branches: ["main", "staging"]
    quality_gates_required: true

  docker:
    registry: "ghcr.io"
    image_scanning: true
    lifecycle_management: true

  monitoring:
    enabled: true
    health_check_interval: 60
    alert_thresholds:
      cpu: 80
      memory: 85
      disk: 90

  deployment:
    default_strategy: "blue_green"
    rollback_automation: true
    canary_traffic_increment: 20
    blue_green:
      health_check_timeout: 300s
      traffic_switch_delay: 60s
      rollback_timeout: 180s
    canary:
      initial_traffic: 10%
      increment_percentage: 20%
      increment_interval: 300s
      success_threshold: 99.5%

deployment_strategies:
  production:
    strategy: "blue_green"
    quality_gates:
      - "linting_check"
      - "security_scan"
      - "performance_test"
    rollback_criteria:
      - "health_check_failure"
      - "error_rate_threshold"

  staging:
    strategy: "direct"
    quality_gates:
      - "basic_tests"
    auto_promote: false

infrastructure_monitoring:
  dashboards:
    - name: "SIDHE Health"
      metrics: ["cpu", "memory", "disk", "network"]
      refresh_interval: 30
    - name: "Deployment Status"
      metrics: ["active_deployments", "success_rate", "rollback_rate"]
      refresh_interval: 60

image_lifecycle:
  development:
    retention_days: 7
    cleanup_policy: "keep_latest_10"
  staging:
    retention_days: 30
    cleanup_policy: "keep_latest_5"
  production:
    retention_days: 90
    cleanup_policy: "keep_latest_3"
    security_scanning: required

health_checks:
  thresholds:
    response_time: 2s
`;
