import { defineAction } from '../../packages/runtime/action-definition.ts';
import { qualityGatesInput } from '../use-cases/quality-gates/quality-gates-input.ts';
import { configInput, hostsOutput, recordingInputs, routerInput, serviceEnvInputs, trafficInputs } from '../shared-inputs.ts';

/** The direct strategy's door: run by `deploy` (strategy `direct`), not an address of its own. */
export const deployDirect = defineAction({
  name: 'deploy-direct',
  title: 'SIDHE direct deploy',
  description:
    'Replaces the running release in place: with a router, starts the new release, proves it healthy, sends it all traffic and stops the old one; with `router: none`, stops the old one and starts the new one on the same port, reporting how long nothing answered. An unhealthy release is removed and the previous one serves again. No instant rollback is kept.',
  branding: { icon: 'arrow-right', color: 'blue' },
  inputs: {
    image: { description: 'Image reference to deploy, e.g. `ghcr.io/acme/shop:1.4.2` or one pinned by digest.', required: true },
    ...trafficInputs,
    router: {
      ...routerInput,
      description: `${routerInput.description} \`none\`: no router; the release answers on the first of \`ports\`, and the old one stops before the new one starts.`,
    },
    'health-timeout': {
      description:
        'How long the new release may take to become healthy. Default: `devops_automator.deployment.blue_green.health_check_timeout` of the configuration file (300s).',
    },
    'switch-delay': { description: 'Observation window once the new release serves (an unhealthy result puts the previous one back). Default: none.' },
    ...serviceEnvInputs,
    'quality-gates': qualityGatesInput,
    ...recordingInputs,
    config: configInput,
  },
  outputs: {
    'active-color': { description: 'Colour serving traffic when the action ends: `blue` or `green`.' },
    release: { description: 'Release id serving traffic when the action ends.' },
    'previous-release': { description: 'Release id that served traffic before.' },
    url: { description: 'Where the service answers.' },
    'duration-ms': { description: 'Time the deploy took, in ms.' },
    'unreachable-ms': { description: 'With `router: none`: how long nothing answered (from stopping the old release to the new one answering), in ms.' },
    hosts: hostsOutput,
  },
});
