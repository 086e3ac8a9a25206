import { defineAction } from '../../packages/runtime/action-definition.ts';
import {
  appInput,
  configInput,
  dockerHostInput,
  environmentInput,
  lockTimeoutInput,
  routerEndpointInput,
  routerInput,
} from '../shared-inputs.ts';

export const deployCanary = defineAction({
  name: 'deploy-canary',
  title: 'SIDHE canary deploy',
  description:
    'Shifts traffic to the new release in steps, judges it against the stable release from real metrics, and promotes or aborts by itself.',
  branding: { icon: 'trending-up', color: 'yellow' },
  inputs: {
    app: appInput,
    environment: environmentInput,
    image: { description: 'Image reference of the canary release.', required: true },
    router: routerInput,
    'router-endpoint': routerEndpointInput,
    'initial-traffic': { description: 'Share of traffic the canary gets first. Default: `devops_automator.deployment.canary.initial_traffic` (10%).' },
    increment: { description: 'Traffic added at each step. Default: `devops_automator.deployment.canary.increment_percentage` (20%).' },
    'increment-interval': { description: 'Observation time at each step. Default: `devops_automator.deployment.canary.increment_interval` (300s).' },
    'success-threshold': { description: 'Lowest success rate the canary must hold. Default: `devops_automator.deployment.canary.success_threshold` (99.5%).' },
    'health-path': { description: 'HTTP path probed on the canary before it gets traffic.', default: '/health' },
    'prometheus-url': { description: 'Prometheus server to judge the canary from, when metrics come from there.' },
    'docker-host': dockerHostInput,
    'lock-timeout': lockTimeoutInput,
    config: configInput,
  },
  outputs: {
    outcome: { description: '`promoted` or `aborted`.' },
    release: { description: 'Release id serving all traffic when the action ends.' },
    'canary-weight': { description: 'Share of traffic on the canary when the action ends, in %.' },
    'duration-ms': { description: 'Time the canary took, in ms.' },
  },
});
