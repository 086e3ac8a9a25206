import { defineAction } from '../../packages/runtime/action-definition.ts';
import { previewInput, previewRouterEndpointInput } from '../shared-inputs.ts';
import { configInput, dockerHostInput, eventsRedisUrlInput, githubTokenInput, lockTimeoutInput } from '../shared-inputs.ts';

export const teardown = defineAction({
  name: 'teardown',
  title: 'SIDHE preview teardown',
  description:
    "Removes a pull request's preview: its nginx server block, its containers and its lock, and marks its GitHub deployments inactive. Other environments are not touched.",
  branding: { icon: 'trash-2', color: 'blue' },
  inputs: {
    app: { description: 'Name of the application.', required: true },
    environment: { description: 'The preview environment, `pr-<number>`; or give `preview`.' },
    preview: previewInput,
    'preview-router-endpoint': { ...previewRouterEndpointInput, required: true },
    reason: { description: 'Why, for the log and the event.', default: 'pull request closed' },
    'docker-host': dockerHostInput,
    'lock-timeout': lockTimeoutInput,
    'github-token': githubTokenInput,
    'events-redis-url': eventsRedisUrlInput,
    config: configInput,
  },
  outputs: {
    removed: { description: 'Containers removed, comma-separated.' },
  },
});
