import { defineAction } from '../../packages/runtime/action-definition.ts';
import { qualityGatesInput } from '../use-cases/quality-gates/quality-gates-input.ts';
import { configInput, hostsOutput, recordingInputs, serviceEnvInputs, trafficInputs } from '../shared-inputs.ts';

export const deployBlueGreen = defineAction({
  name: 'deploy-blue-green',
  title: 'SIDHE blue-green deploy',
  description:
    'Starts the idle colour with the new image, proves it healthy, switches traffic atomically and keeps the old colour for an instant rollback; switches back by itself when the new release turns unhealthy.',
  branding: { icon: 'git-pull-request', color: 'blue' },
  inputs: {
    image: { description: 'Image reference to deploy, e.g. `ghcr.io/acme/shop:1.4.2` or one pinned by digest.', required: true },
    ...trafficInputs,
    'health-timeout': {
      description:
        'How long the new colour may take to become healthy. Default: `devops_automator.deployment.blue_green.health_check_timeout` of the configuration file (300s).',
    },
    'switch-delay': {
      description:
        'Observation window after the switch; an unhealthy result switches back. Default: `devops_automator.deployment.blue_green.traffic_switch_delay` of the configuration file (60s).',
    },
    'keep-previous': { description: 'Keep the old colour running for an instant rollback.', default: 'true' },
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
    hosts: hostsOutput,
  },
});
