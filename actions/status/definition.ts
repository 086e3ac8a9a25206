import { defineAction } from '../../packages/runtime/action-definition.ts';
import { configInput, dockerHostInput, eventsRedisUrlInput, remoteHostInputs } from '../shared-inputs.ts';

export const status = defineAction({
  name: 'status',
  title: 'SIDHE infrastructure status',
  description:
    "What runs where: every container the suite manages (release, state, health, restarts, uptime, CPU, memory) and the host's CPU, memory and disk from Prometheus, with an alert for each threshold crossed.",
  branding: { icon: 'monitor', color: 'green' },
  inputs: {
    scope: { description: 'What to report: `containers` (the Docker engine), `host` (node_exporter through Prometheus) or `all`.', default: 'all' },
    app: { description: 'Only the containers of this app.' },
    environment: { description: 'Only the containers of this environment.' },
    'prometheus-url': {
      description:
        "Prometheus that scrapes node_exporter, e.g. `http://prometheus:9090`: the host's CPU, memory and disk use come from it. Without it the host is not read.",
    },
    'max-cpu': {
      description:
        'CPU use that raises an alert, in %: of one core for a container (as `docker stats` says), of the whole host for a host. Default: `devops_automator.monitoring.alert_thresholds.cpu` (80).',
    },
    'max-memory': { description: "Memory use that raises an alert, in % of a container's limit or of the host. Default: `alert_thresholds.memory` (85)." },
    'max-disk': { description: "Disk use of a host's file system that raises an alert, in %. Default: `alert_thresholds.disk` (90)." },
    since: {
      description:
        "Also show availability per service over this window, e.g. `24h` or `7d`, from the event bus (health checks, deploys, rollbacks), with each incident's start, end and cause. Needs `events-redis-url`.",
    },
    'fail-on-alert': { description: 'Fail the step when any alert is raised (`true`), or only report it (`false`).', default: 'false' },
    'docker-host': dockerHostInput,
    ...remoteHostInputs,
    hosts: {
      description:
        "Remote Docker hosts to read over SSH, `ssh://user@host[:port]`, one a line or comma-separated: every host's containers, each named `<host>/<container>`. Default: the environment's `hosts` in the configuration (or `deployment.hosts`), else this runner's engine.",
    },
    'events-redis-url': eventsRedisUrlInput,
    config: configInput,
  },
  outputs: {
    'status-path': { description: 'Path of the JSON status: services, containers, hosts (resource usage) and alerts.' },
    alerts: { description: 'How many alerts were raised.' },
  },
});
