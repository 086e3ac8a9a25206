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
    to: { description: '`previous`, a recorded release id, or an image reference.', default: 'previous' },
    reason: { description: 'Why, recorded with the rollback.' },
    'docker-host': dockerHostInput,
    'lock-timeout': lockTimeoutInput,
    config: configInput,
  },
  outputs: {
    release: { description: 'Release id serving traffic after the rollback.' },
    'duration-ms': { description: 'Time the rollback took, in ms.' },
  },
});
