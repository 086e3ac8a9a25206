/**
 * The shape of `.sidhe/devops.yaml`: one zod schema that validates the file, gives the TypeScript type
 * of the parsed configuration and generates the JSON Schema editors use. Every object is strict, so a
 * misspelt key is an error rather than a silently ignored setting. Defaults are the product brief's
 * numbers. In the parsed output every duration is in milliseconds and every percentage is 0–100.
 */
import { z } from 'zod';
import {
  DASHBOARD_METRICS,
  ROLLBACK_TRIGGERS,
  STRATEGIES,
  cleanupPolicy,
  duration,
  name,
  percentage,
  percentageValue,
  registryHost,
  removedKey,
} from './fields.ts';

/** A mapping whose keys all have defaults, so the whole section may be left out. */
function section<S extends z.core.$ZodLooseShape>(shape: S, description: string) {
  // Every key has a default, so {} is valid input; TypeScript cannot see that for a generic shape.
  return z
    .strictObject(shape)
    .prefault({} as never)
    .meta({ description });
}

const flag = (fallback: boolean, description: string) => z.boolean().prefault(fallback).meta({ description });

const ciCd = section(
  {
    provider: removedKey('the suite runs on GitHub Actions only; delete the key', 'github_actions'),
    auto_deploy_branches: z.array(z.string().min(1)).prefault(['main', 'staging']).meta({
      description:
        'Branches whose pushes deploy: a deploy run by a push to any other branch is skipped with a notice. Other events (manual, tags, pull requests) always deploy.',
    }),
    quality_gates_required: flag(
      true,
      "Whether a deployment must pass its quality gates: false skips a deploy's quality-gates input with a notice (the quality-gate action still runs its gates).",
    ),
  },
  'Continuous integration and delivery.',
);

const docker = section(
  {
    registry: registryHost.prefault('ghcr.io').meta({
      description: "Registry of a build-scan-image `image` name that names none (acme/shop is ghcr.io/acme/shop); the image's tags say where it is pushed.",
    }),
    image_scanning: flag(true, 'Scan every built image for vulnerabilities.'),
    lifecycle_management: flag(true, 'Clean up old images by the image_lifecycle policies.'),
  },
  'Image builds, scanning and cleanup.',
);

const monitoring = section(
  {
    enabled: flag(true, 'Whether infrastructure monitoring runs: false makes the status action stop at once with a notice.'),
    health_check_interval: duration(
      60,
      "How often `sidhe-devops status --watch` probes (or the dashboards' refresh_interval, when shorter). On GitHub, a workflow's schedule says how often.",
    ),
    alert_thresholds: section(
      {
        cpu: percentage(80, 'CPU usage (%) that raises an alert.'),
        memory: percentage(85, 'Memory usage (%) that raises an alert.'),
        disk: percentage(90, 'Disk usage (%) that raises an alert.'),
      },
      'Resource usage at which an alert is raised.',
    ),
  },
  'Infrastructure monitoring and alerts.',
);

const blueGreen = section(
  {
    health_check_timeout: duration('300s', 'How long the idle colour may take to become healthy.'),
    traffic_switch_delay: duration('60s', 'Observation window after the switch: a release that turns unhealthy in it is switched back (0: no observation).', {
      zero: true,
    }),
    rollback_timeout: duration('180s', 'How long a release restarted by rollback may take to become healthy.'),
  },
  'Blue-green deployment tuning.',
);

const canary = section(
  {
    initial_traffic: percentage('10%', 'Share of traffic the canary starts with.', { zero: false }),
    increment_percentage: percentageValue({ zero: false })
      .optional()
      .meta({ description: 'Traffic added at each step. Default 20%, or deployment.canary_traffic_increment.' }),
    increment_interval: duration('300s', 'Time between traffic steps.'),
    success_threshold: percentage('99.5%', 'Success rate (%) the canary must keep to be promoted.'),
  },
  'Canary release tuning.',
);

/** `ssh://user@host[:port]` entries; the deploy actions check each one fully (packages/adapters/ssh). */
const sshHosts = (description: string) =>
  z.array(z.string().regex(/^ssh:\/\/[^\s/@]+@[^\s/@]+$/, { error: 'use ssh://user@host or ssh://user@host:port' })).meta({ description });

const deployment = z
  .strictObject({
    hosts: sshHosts("Remote Docker hosts every environment deploys to over SSH, unless its own hosts say otherwise. Empty: the runner's own engine.").prefault(
      [],
    ),
    default_strategy: z.enum(STRATEGIES).prefault('blue_green').meta({ description: 'Strategy for environments not in deployment_strategies.' }),
    rollback_automation: flag(
      true,
      "Switch a blue-green release that turns unhealthy after the switch back to the one before, as the environment's rollback_criteria say; false leaves traffic on it (run rollback).",
    ),
    canary_traffic_increment: percentageValue({ zero: false }).optional().meta({ description: 'Shorthand for canary.increment_percentage.' }),
    blue_green: blueGreen,
    canary,
  })
  .prefault({})
  .transform(({ canary_traffic_increment: shorthand, ...rest }, ctx) => {
    const { initial_traffic, increment_percentage: increment, increment_interval, success_threshold } = rest.canary;
    if (shorthand !== undefined && increment !== undefined && shorthand !== increment) {
      const message = `it disagrees with canary.increment_percentage (${increment}); set only one of them`;
      ctx.issues.push({ code: 'custom', path: ['canary_traffic_increment'], input: shorthand, message });
      return z.NEVER;
    }
    const increment_percentage = increment ?? shorthand ?? 20;
    return { ...rest, canary: { initial_traffic, increment_percentage, increment_interval, success_threshold } };
  })
  .meta({ description: 'How deployments run.' });

const REDIS_URL = /^rediss?:\/\/\S+$/;

const events = section(
  {
    redis_url: z.string().regex(REDIS_URL, { error: 'use a redis:// or rediss:// (TLS) URL, e.g. redis://redis.internal:6379' }).optional().meta({
      description:
        'Redis that receives an event for every step of every action: appended to the stream sidhe:devops:events (trimmed to the newest 10000) and published on sidhe:devops:<app>:<environment>. The events-redis-url input overrides it. No events unless set.',
    }),
  },
  'The event bus: live and recent events for dashboards, chat bots and `sidhe-devops events`.',
);

const devopsAutomator = section(
  {
    enabled: flag(true, 'Master switch: false makes every action stop at once with a notice, changing nothing.'),
    ci_cd: ciCd,
    docker,
    monitoring,
    deployment,
    events,
  },
  'General settings.',
);

export const environmentDeployment = z.strictObject({
  hosts: sshHosts('Remote Docker hosts of this environment over SSH; default devops_automator.deployment.hosts. The hosts input overrides both.').optional(),
  strategy: z.enum(STRATEGIES).optional().meta({ description: 'Deployment strategy; default devops_automator.deployment.default_strategy.' }),
  quality_gates: z.array(name).prefault([]).meta({ description: 'Quality gates that must pass before deploying here.' }),
  rollback_criteria: z.array(z.enum(ROLLBACK_TRIGGERS)).prefault(['health_check_failure']).meta({
    description:
      'What switches a blue-green release back during its observation (switch-delay): health_check_failure, error_rate_threshold or performance_degradation (the health check judges status, success rate and p95 latency); [manual_trigger] or []: only the rollback action does.',
  }),
  auto_promote: removedKey('promote with a workflow job that needs the deploy job and deploys to the next environment', false),
});

const PORT_RANGE = /^(\d{1,5})-(\d{1,5})$/;

const portRange = z
  .string()
  .transform((raw, ctx) => {
    const match = PORT_RANGE.exec(raw.trim());
    const [first, last] = match ? [Number(match[1]), Number(match[2])] : [NaN, NaN];
    if (!(first >= 1 && last <= 65535 && first <= last)) {
      ctx.issues.push({ code: 'custom', input: raw, message: 'use first-last, ports from 1 to 65535, e.g. 9100-9199' });
      return z.NEVER;
    }
    return { first, last };
  })
  .prefault('9100-9199')
  .meta({ description: 'Host ports previews take, first-last: each preview gets the lowest free one, recorded on its containers.' });

const previews = section(
  {
    ports: portRange,
    host: z
      .string()
      .regex(/^[A-Za-z0-9.-]*\{number\}[A-Za-z0-9.-]*$/, { error: 'use a host name holding {number}, e.g. pr-{number}.preview.example.com' })
      .prefault('pr-{number}.preview.example.com')
      .meta({ description: "Host name of a preview's router entry; {number} is the pull request's number." }),
    url: z
      .string()
      .regex(/^https?:\/\/\S*\{host\}\S*$/, { error: 'use an http(s) URL holding {host}, e.g. https://{host}' })
      .prefault('https://{host}')
      .meta({ description: "The preview's address, shown as environment-url, on GitHub and on the pull request; {host} is its host name." }),
    listen: z
      .union([
        z.int().min(1).max(65535).transform(String),
        z.string().regex(/^[\w.:[\]-]+:\d{1,5}$/, { error: 'use a port or address:port, e.g. 80 or 127.0.0.1:8080' }),
      ])
      .prefault(80)
      .meta({ description: "Where nginx listens for the previews' host names: a port or address:port (each preview's server block says it)." }),
    max_age: duration('7d', 'A preview not deployed for this long is torn down by the next preview deploy.'),
    max_count: z.int().min(1).prefault(10).meta({ description: 'Most previews at once: the next preview deploy tears the oldest down beyond it.' }),
  },
  'Pull-request preview environments (environment pr-<number>): their ports, host names and limits.',
);

const dashboard = z.strictObject({
  name: z.string().min(1).meta({ description: 'Dashboard title.' }),
  metrics: z.array(z.enum(DASHBOARD_METRICS)).min(1).meta({ description: 'Metrics the dashboard shows.' }),
  refresh_interval: duration(60, 'How often the dashboard refreshes.'),
});

const BUILT_IN_DASHBOARDS: z.input<typeof dashboard>[] = [
  { name: 'SIDHE Health', metrics: ['cpu', 'memory', 'disk', 'network'], refresh_interval: 30 },
  { name: 'Deployment Status', metrics: ['active_deployments', 'success_rate', 'rollback_rate'], refresh_interval: 60 },
];

const imageLifecycleEntry = z.strictObject({
  retention_days: z.int().min(1).optional().meta({ description: 'Days an image is kept.' }),
  cleanup_policy: cleanupPolicy.optional(),
  security_scanning: z.enum(['required', 'optional']).optional().meta({ description: 'Whether an image needs a passing scan to deploy here.' }),
});
const imageLifecycles = z.record(name, imageLifecycleEntry);

/** Environments the brief gives a policy. An entry for one of them overrides only the keys it sets. */
const BUILT_IN_LIFECYCLES: z.input<typeof imageLifecycles> = {
  development: { retention_days: 7, cleanup_policy: 'keep_latest_10', security_scanning: 'optional' },
  staging: { retention_days: 30, cleanup_policy: 'keep_latest_5', security_scanning: 'optional' },
  production: { retention_days: 90, cleanup_policy: 'keep_latest_3', security_scanning: 'required' },
};
const builtInLifecycles = imageLifecycles.parse(BUILT_IN_LIFECYCLES);

export type ImageLifecycle = Required<z.output<typeof imageLifecycleEntry>>;

const REQUIRED_WITHOUT_BUILT_IN = {
  retention_days: 'use a whole number of days, 1 or more',
  cleanup_policy: 'use keep_latest_N, e.g. keep_latest_5',
} as const;

function withBuiltInLifecycles(entries: z.output<typeof imageLifecycles>, ctx: z.core.$RefinementCtx) {
  const lifecycles: Record<string, ImageLifecycle> = {};
  for (const [environment, entry] of Object.entries({ ...builtInLifecycles, ...entries })) {
    const merged = { ...builtInLifecycles[environment], ...entry };
    const { retention_days, cleanup_policy, security_scanning = 'optional' } = merged;
    if (retention_days !== undefined && cleanup_policy !== undefined) {
      lifecycles[environment] = { retention_days, cleanup_policy, security_scanning };
      continue;
    }
    for (const [key, allowed] of Object.entries(REQUIRED_WITHOUT_BUILT_IN)) {
      if (key in merged) continue;
      const message = `${environment} has no built-in default; ${allowed}`;
      ctx.issues.push({ code: 'custom', path: [environment, key], input: undefined, message });
    }
  }
  return lifecycles;
}

export const devopsConfigSchema = z
  .strictObject({
    devops_automator: devopsAutomator,
    deployment_strategies: z
      .record(name, environmentDeployment)
      .prefault({})
      .meta({ description: 'Per-environment deployment settings, keyed by environment name.' }),
    previews,
    infrastructure_monitoring: section(
      { dashboards: z.array(dashboard).prefault(BUILT_IN_DASHBOARDS).meta({ description: 'Monitoring dashboards.' }) },
      'Dashboards.',
    ),
    image_lifecycle: imageLifecycles
      .prefault(BUILT_IN_LIFECYCLES)
      .transform(withBuiltInLifecycles)
      .meta({ description: 'Image retention per environment. development, staging and production have built-in policies.' }),
    health_checks: section(
      {
        intervals: removedKey(
          'how often targets are probed is the schedule of the workflow that runs health-check or status (on: schedule), and the interval input within one check',
        ),
        thresholds: section(
          {
            cpu_usage: removedKey("use devops_automator.monitoring.alert_thresholds.cpu (alerts), or health-check's max-cpu input (a failed check)"),
            memory_usage: removedKey("use devops_automator.monitoring.alert_thresholds.memory (alerts), or health-check's max-memory input (a failed check)"),
            disk_usage: removedKey('use devops_automator.monitoring.alert_thresholds.disk (alerts)'),
            response_time: duration('2s', "Response time above which a probe fails: health-check's max-latency-p95 when that input is not given."),
          },
          'Limits beyond which a target counts as unhealthy.',
        ),
      },
      'Health check thresholds.',
    ),
    pipeline_templates: removedKey('a pipeline is a GitHub Actions workflow that runs the actions in order; see the README'),
  })
  .meta({ title: 'SIDHE DevOps configuration', description: 'The file .sidhe/devops.yaml.' });

export type DevopsConfig = z.output<typeof devopsConfigSchema>;
export type DevopsConfigInput = z.input<typeof devopsConfigSchema>;
export type DeploymentStrategy = (typeof STRATEGIES)[number];
export type EnvironmentDeployment = z.output<typeof environmentDeployment>;
export type PreviewSettings = z.output<typeof previews>;
