import { defineAction } from '../../packages/runtime/action-definition.ts';
import { configInput, eventsRedisUrlInput } from '../shared-inputs.ts';

export const healthCheck = defineAction({
  name: 'health-check',
  title: 'SIDHE health check',
  description:
    'Probes HTTP(S) URLs, TCP ports, Docker containers and Prometheus queries in rounds until every target meets every criterion for enough consecutive rounds, or fails naming the target, the criterion, the observed value and the threshold.',
  branding: { icon: 'activity', color: 'green' },
  inputs: {
    targets: {
      description:
        'What to probe, one a line: `http(s)://...` URLs, `tcp://host:port`, `container://<name>` (the container must be running and, if it has a HEALTHCHECK, healthy). Needed unless `prometheus-queries` is given.',
    },
    timeout: { description: 'Overall deadline for the check.', default: '5m' },
    interval: { description: 'Pause between rounds.', default: '5s' },
    'required-successes': { description: 'Consecutive healthy rounds needed to pass.', default: '3' },
    samples: { description: 'Requests per HTTP target per round.', default: '5' },
    'request-timeout': { description: 'Deadline of a single request or connection attempt.', default: '10s' },
    'expected-status': { description: 'HTTP statuses that count as success: codes, ranges and families, e.g. `200-399`, `200,204`, `2xx`.', default: '200-399' },
    'body-contains': { description: 'Text every HTTP response body must contain.' },
    'max-latency-p95': {
      description: 'Highest p95 latency of an HTTP target in a round, e.g. `500ms` or `2s`. Default: `health_checks.thresholds.response_time` of the configuration file (2s).',
    },
    'min-success-rate': { description: 'Lowest share of successful samples of a target in a round, e.g. `99.5%`.', default: '100%' },
    'max-cpu': {
      description: 'Highest CPU use of a `container://` target, in % of one core (read with `docker stats`, which adds about 1.5s to each round). No limit unless given.',
    },
    'max-memory': {
      description: 'Highest memory use of a `container://` target, in % of its limit (read with `docker stats`). No limit unless given.',
    },
    'prometheus-url': { description: 'Prometheus server for `prometheus-queries`, e.g. `http://prometheus:9090`.' },
    'prometheus-queries': {
      description: 'Checks one a line, `<promql> <op> <number>` with op one of `< <= > >= == !=`, e.g. `avg(node_load1) < 4`. Every returned series must satisfy it.',
    },
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
  },
});
