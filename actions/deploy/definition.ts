import { defineAction } from '../../packages/runtime/action-definition.ts';
import { deployBlueGreen } from '../deploy-blue-green/definition.ts';
import { deployCanary } from '../deploy-canary/definition.ts';
import { unionOf } from '../definition-union.ts';
import { appInput, configInput, environmentInput, previewInput } from '../shared-inputs.ts';
import { deployDirect } from './direct-definition.ts';
import { deployPreview } from './preview-definition.ts';

/** The doors `deploy` may run: it hands its inputs on to the chosen one. */
const DOOR_DEFINITIONS = [deployDirect, deployBlueGreen, deployCanary, deployPreview] as const;

const strategies = DOOR_DEFINITIONS.map((d) => d.name).join(', ');

export const deploy = defineAction({
  name: 'deploy',
  title: 'SIDHE deploy',
  description:
    "Deploys to an environment the way the configuration says: runs deployment_strategies.<environment>.strategy (else deployment.default_strategy) — direct, blue_green or canary — with that environment's quality gates and timings.",
  branding: { icon: 'upload-cloud', color: 'blue' },
  inputs: {
    ...unionOf(DOOR_DEFINITIONS, (d) => d.inputs),
    app: appInput,
    environment: {
      ...environmentInput,
      description: `${environmentInput.description} When the configuration lists environments under deployment_strategies, it must be one of them; \`pr-<number>\` deploys a pull request's preview.`,
    },
    image: { description: 'Image reference to deploy, e.g. `ghcr.io/acme/shop:1.4.2`.', required: true },
    preview: previewInput,
    strategy: {
      description: `Overrides the configured strategy: \`direct\`, \`blue_green\` (or \`blue-green\`) or \`canary\`. The other inputs are those of ${strategies}, each read by the strategy that runs.`,
    },
    config: configInput,
  },
  outputs: unionOf(DOOR_DEFINITIONS, (d) => d.outputs),
});
