import { defineAction } from '../../packages/runtime/action-definition.ts';
import {
  configInput,
  dockerHostInput,
  healthPathInput,
  lockTimeoutInput,
  previewInput,
  previewRouterEndpointInput,
  recordingInputs,
  serviceEnvInputs,
} from '../shared-inputs.ts';

/** A preview deploy's door: run by `deploy` for `pr-<number>` environments, not an address of its own. */
export const deployPreview = defineAction({
  name: 'deploy-preview',
  title: 'SIDHE preview deploy',
  description:
    "Deploys a pull request's image as its own environment pr-<number>: its own port from previews.ports, an nginx server block for its host name, a transient GitHub deployment with its URL and a comment on the pull request. Stale previews and those beyond previews.max_count are torn down first.",
  branding: { icon: 'eye', color: 'blue' },
  inputs: {
    app: { description: 'Name of the application.', required: true },
    environment: { description: 'The preview environment, `pr-<number>`; or give `preview`.' },
    preview: previewInput,
    image: { description: "Image reference of the pull request's build.", required: true },
    'preview-router-endpoint': { ...previewRouterEndpointInput, required: true },
    'health-path': healthPathInput,
    'health-timeout': {
      description: 'How long the preview may take to become healthy. Default: `devops_automator.deployment.blue_green.health_check_timeout` (300s).',
    },
    'docker-host': dockerHostInput,
    'lock-timeout': lockTimeoutInput,
    ...serviceEnvInputs,
    ...recordingInputs,
    config: configInput,
  },
  outputs: {
    url: { description: "The preview's address, from previews.url." },
    'environment-url': { description: "The same address, for a job's `environment: url:`." },
    port: { description: 'The host port the preview listens on.' },
    release: { description: 'Release id serving the preview.' },
    'duration-ms': { description: 'Time the deploy took, in ms.' },
    retired: { description: 'Previews torn down first (stale or beyond previews.max_count), comma-separated.' },
  },
});
