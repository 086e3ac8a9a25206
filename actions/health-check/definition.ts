import { defineAction } from '../../packages/runtime/action-definition.ts';
import { configInput, dockerHostInput, eventsRedisUrlInput } from '../shared-inputs.ts';

export const healthCheck = defineAction({
  name: 'health-check',
  title: 'SIDHE health check',
  description:
    'Probes HTTP(S) URLs, TCP ports, Docker containers and Prometheus queries in rounds until every target meets every criterion for enough consecutive rounds, or fails naming the target, the criterion, the observed value and the threshold.',
  branding: { icon: 'activity', color: 'green' },
  inputs: {
    targets: {
      description:
        'What to probe, one a line: `http(s)://...` URLs, `tcp://host:port`, `container://<name>` (the container must be running and, if it has a HEALTHCHECK, healthy). Required with scope `targets`.',
    },
    scope: {
      description:
        "What to check: `targets` (the targets above), `containers` (every container the suite manages on the Docker engine: state, health, CPU and memory against the alert thresholds), `host` (the host's CPU, memory and disk from node_exporter through `prometheus-url`), or `all` (each of them; targets when given).",
      default: 'targets',
    },
    app: { description: 'The app these targets serve: its events carry it, so `sidhe-devops status --since` counts this check in its availability.' },
    environment: { description: 'The environment these targets serve, with `app`.' },
    since: {
      description:
        "Also show availability per service over this window, e.g. `24h` or `7d` (a scheduled check's dashboard), from the event bus: this check's result and the earlier ones, deploys and rollbacks, with each incident's start, end and cause. Needs `events-redis-url`.",
    },
    timeout: { description: 'Overall deadline for the check.', default: '5m' },
    interval: { description: 'Time from the start of one round to the start of the next; a round that takes longer starts the next at once.', default: '5s' },
    'required-successes': { description: 'Consecutive healthy rounds needed to pass.', default: '3' },
    watch: {
      description:
        '`true`: watch instead of prove: probe every `interval` for the whole `timeout` and fail at the first unhealthy round (a service that starts failing is reported within one interval plus the round). `false`: pass after `required-successes` healthy rounds.',
      default: 'false',
    },
    samples: { description: 'Requests per HTTP target per round.', default: '5' },
    'request-timeout': { description: 'Deadline of a single request or connection attempt.', default: '10s' },
    'expected-status': {
      description: 'HTTP statuses that count as success: codes, ranges and families, e.g. `200-399`, `200,204`, `2xx`.',
      default: '200-399',
    },
    'body-contains': { description: 'Text every HTTP response body must contain.' },
    'max-latency-p95': {
      description:
        'Highest p95 latency of an HTTP target in a round, e.g. `500ms` or `2s`. Default: `health_checks.thresholds.response_time` of the configuration file (2s).',
    },
    'min-success-rate': { description: 'Lowest share of successful samples of a target in a round, e.g. `99.5%`.', default: '100%' },
    'max-cpu': {
      description:
        'Highest CPU use of a `container://` target, in % of one core (read with `docker stats`, which adds about 1.5s to each round). No limit unless given. With scope `containers`, `host` or `all`: the CPU use that raises an alert (default `devops_automator.monitoring.alert_thresholds.cpu`, 80).',
    },
    'max-memory': {
      description:
        'Highest memory use of a `container://` target, in % of its limit (read with `docker stats`). No limit unless given. With scope `containers`, `host` or `all`: the memory use that raises an alert (default `alert_thresholds.memory`, 85).',
    },
    'max-disk': {
      description: "With scope `host` or `all`: the disk use of a host's file system that raises an alert, in % (default `alert_thresholds.disk`, 90).",
    },
    'fail-on-alert': {
      description: 'With scope `containers`, `host` or `all`: fail the step when an alert is raised (`true`) or only report it (`false`).',
      default: 'true',
    },
    'prometheus-url': {
      description:
        "Prometheus server for `prometheus-queries`, and for the host's figures (node_exporter) with scope `host` or `all`, e.g. `http://prometheus:9090`.",
    },
    'prometheus-queries': {
      description:
        'Checks one a line, `<promql> <op> <number>` with op one of `< <= > >= == !=`, e.g. `avg(node_load1) < 4`. Every returned series must satisfy it.',
    },
    'docker-host': dockerHostInput,
    'events-redis-url': eventsRedisUrlInput,
    config: configInput,
  },
  outputs: {
    healthy: { description: '`true` when every target passed, else `false`.' },
    'success-rate': { description: 'Share of successful samples over all rounds and targets, in %.' },
    'latency-p50-ms': { description: 'Median latency of HTTP and TCP samples over all rounds, in ms.' },
    'latency-p95-ms': { description: '95th percentile latency over all rounds, in ms.' },
    'latency-p99-ms': { description: '99th percentile latency over all rounds, in ms.' },
    'report-path': { description: 'Path of the JSON report of every round.' },
    'status-path': { description: 'With scope `containers`, `host` or `all`: path of the JSON status (services, containers, hosts, alerts).' },
    alerts: { description: 'With scope `containers`, `host` or `all`: how many alerts were raised.' },
  },
});
