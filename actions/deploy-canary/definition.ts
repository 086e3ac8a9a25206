import { defineAction } from '../../packages/runtime/action-definition.ts';
import { qualityGatesInput } from '../use-cases/quality-gates/quality-gates-input.ts';
import { configInput, hostsOutput, recordingInputs, serviceEnvInputs, trafficInputs } from '../shared-inputs.ts';

export const deployCanary = defineAction({
  name: 'deploy-canary',
  title: 'SIDHE canary deploy',
  description:
    'Starts the new release beside the stable one, shifts traffic to it in exact steps, judges it against stable from real metrics at every look, and aborts at once when it is worse, or promotes it.',
  branding: { icon: 'trending-up', color: 'yellow' },
  inputs: {
    action: {
      description:
        '`start` deploys `image` as a canary; `promote` gives a paused canary all traffic; `abort` puts all traffic back on stable and removes the canary. `promote` and `abort` need only `app`, `environment` and the router: the rest is what the deploy recorded.',
      default: 'start',
    },
    image: { description: 'Image reference of the canary release, e.g. `ghcr.io/acme/shop:1.4.2`. Required for `action: start`.' },
    ...trafficInputs,
    steps: {
      description:
        "The canary's share of traffic at each step, exact whole percentages, increasing, e.g. `10,30,50,100`; the last is 100 unless `auto-promote` is false. Default: from `initial-traffic` and `increment`.",
    },
    'initial-traffic': {
      description: 'Share of traffic of the first step, when `steps` is not given. Default: `devops_automator.deployment.canary.initial_traffic` (10%).',
    },
    increment: {
      description: 'Traffic added at each step, when `steps` is not given. Default: `devops_automator.deployment.canary.increment_percentage` (20%).',
    },
    'increment-interval': {
      description:
        'How long each step is observed before it may pass, any duration (e.g. `60s`, `5m`). Default: `devops_automator.deployment.canary.increment_interval` (300s).',
    },
    'look-interval': {
      description:
        'Time between two looks at the metrics: each look reads what canary and stable answered since the previous one and hands it to the judge, which may abort at any look.',
      default: '2s',
    },
    'success-threshold': {
      description:
        'Lowest success rate the canary may have in a step (5xx and connection errors fail). Default: `devops_automator.deployment.canary.success_threshold` (99.5%).',
    },
    'max-latency-p95': { description: 'Highest p95 latency the canary may have in a step, e.g. `500ms`. Default: no such gate.' },
    confidence: {
      description:
        'How sure the judge must be that the canary is worse before it aborts, above 50% and up to 99.99%; the false-abort budget (100% minus it) is split over the metrics compared.',
      default: '99%',
    },
    'min-effect': {
      description:
        'The smallest canary − stable difference that may abort: `error-rate=<points>%` and `latency=<percent>%` (p50/p95). Smaller differences never abort, however sure.',
      default: 'error-rate=0.5%, latency=20%',
    },
    'min-requests': { description: 'Requests each version needs in a step before the judge gives any verdict.', default: '50' },
    metrics: {
      description:
        "Where the per-version counts come from, one or more: `router` (HAProxy's per-server counters through its runtime API), `access-log:<path>` (an nginx JSON access log with upstream address, status and upstream response time), `prometheus` (`prometheus-url` and `prometheus-queries`). Default: `router` behind HAProxy; behind nginx give an access log.",
    },
    'prometheus-url': { description: 'Prometheus server, for `metrics: prometheus`.' },
    'prometheus-queries': {
      description:
        'PromQL queries for `metrics: prometheus`, one a line, with `{{version}}`, `{{colour}}` or `{{release}}` filled in for canary and for stable.',
    },
    baseline: {
      description:
        "`true` starts a fresh container of the stable release (its image and env) beside the canary, at the canary's weight, and compares the canary with it rather than with stable, so age, warm caches and long-lived connections do not tell the two apart. Stable takes 100 − 2 × the canary's weight; a step above 50% has no baseline and compares with stable. Behind HAProxy the backend needs a third server, `server baseline localhost:1 weight 0`; nginx needs nothing. The baseline is removed when the canary is promoted, aborted or paused.",
      default: 'false',
    },
    'baseline-port': {
      description: "Port the baseline listens on (127.0.0.1), neither colour's. Default: the higher of `ports` plus one (8083 beside 8081,8082).",
    },
    load: {
      description:
        "The action's own requests, for services too quiet to judge: `<rate>/s <URL>`, e.g. `20/s http://127.0.0.1:8080/healthz`, GET requests at a whole rate from 1 to 1000 a second to the router's front (so they count in its metrics like any request), sent only while a step is observed, over kept-alive connections, at most one second's worth in flight. Default: none.",
    },
    'on-inconclusive': { description: 'What a step that ends without a verdict (too few requests) does: `abort` or `pause`.', default: 'abort' },
    'auto-promote': {
      description:
        'Promote by itself after the last step; `false` pauses at the last step below 100% (`outcome: paused`) for a later `action: promote` or `abort`.',
      default: 'true',
    },
    'health-timeout': {
      description:
        'How long the canary may take to become healthy on its own port before it gets traffic. Default: `devops_automator.deployment.blue_green.health_check_timeout` (300s).',
    },
    reason: { description: 'Why, recorded with an `action: abort`.' },
    ...serviceEnvInputs,
    'quality-gates': qualityGatesInput,
    ...recordingInputs,
    config: configInput,
  },
  outputs: {
    outcome: { description: '`promoted`, `aborted` or `paused`.' },
    'canary-weight': { description: 'Share of traffic on the canary when the action ends, in %.' },
    release: { description: 'Release id of the canary.' },
    'previous-release': { description: 'Release id of the stable release it was judged against.' },
    'analysis-path': { description: 'JSON file of every look: samples, rates, quantiles, test statistics, the verdict and why.' },
    'duration-ms': { description: 'Time the action took, in ms.' },
    hosts: hostsOutput,
  },
});
