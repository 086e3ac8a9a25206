import { defineAction } from '../../packages/runtime/action-definition.ts';
import { configInput, healthPathInput, hostsOutput, portsInput, recordingInputs, serviceEnvInputs, trafficInputs } from '../shared-inputs.ts';

export const rollback = defineAction({
  name: 'rollback',
  title: 'SIDHE rollback',
  description:
    'Moves traffic back to the previous (or a named) release: a router switch when the old colour still runs, else a health-checked restart of the recorded release.',
  branding: { icon: 'rotate-ccw', color: 'red' },
  inputs: {
    to: { description: '`previous` (what served before), a recorded release id, or an image reference.', default: 'previous' },
    reason: { description: 'Why, recorded with the rollback.' },
    ...trafficInputs,
    ports: {
      description: `${portsInput.description} Default: the ports the releases recorded when they were deployed (their labels, else the router's slot addresses).`,
    },
    'health-path': { description: `${healthPathInput.description} Default: the path the release's deploy recorded, else \`/health\`.` },
    'health-timeout': {
      description:
        'How long a restarted release may take to become healthy. Default: `devops_automator.deployment.blue_green.rollback_timeout` of the configuration file (180s).',
    },
    ...serviceEnvInputs,
    ...recordingInputs,
    config: configInput,
  },
  outputs: {
    release: { description: 'Release id serving traffic after the rollback.' },
    'duration-ms': { description: 'Time the rollback took, in ms.' },
    hosts: hostsOutput,
  },
});
