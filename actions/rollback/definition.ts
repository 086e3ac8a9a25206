import { defineAction } from '../../packages/runtime/action-definition.ts';
import {
  appInput,
  configInput,
  dockerHostInput,
  environmentInput,
  lockTimeoutInput,
  routerEndpointInput,
  healthPathInput,
  portsInput,
  routerInput,
  routerServiceInput,
} from '../shared-inputs.ts';

export const rollback = defineAction({
  name: 'rollback',
  title: 'SIDHE rollback',
  description:
    'Moves traffic back to the previous (or a named) release: a router switch when the old colour still runs, else a health-checked restart of the recorded release.',
  branding: { icon: 'rotate-ccw', color: 'red' },
  inputs: {
    app: appInput,
    environment: environmentInput,
    router: routerInput,
    'router-endpoint': routerEndpointInput,
    'router-service': routerServiceInput,
    ports: portsInput,
    to: { description: '`previous`, a recorded release id, or an image reference.', default: 'previous' },
    reason: { description: 'Why, recorded with the rollback.' },
    'health-path': healthPathInput,
    'health-timeout': {
      description: 'How long a restarted release may take to become healthy. Default: `devops_automator.deployment.blue_green.rollback_timeout` of the configuration file (180s).',
    },
    env: { description: 'Environment variables for a restarted release, `NAME=value` one a line. Values are masked and never printed.' },
    'env-file': { description: 'File of `NAME=value` lines for a restarted release. Values are masked and never printed.' },
    'docker-host': dockerHostInput,
    'lock-timeout': lockTimeoutInput,
    config: configInput,
  },
  outputs: {
    release: { description: 'Release id serving traffic after the rollback.' },
    'duration-ms': { description: 'Time the rollback took, in ms.' },
  },
});
