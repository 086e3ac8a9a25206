import { defineAction } from '../../packages/runtime/action-definition.ts';
import { configInput, eventsRedisUrlInput } from '../shared-inputs.ts';

export const metrics = defineAction({
  name: 'metrics',
  title: 'SIDHE deployment metrics',
  description:
    'The four DORA metrics (deployment frequency, change failure rate, time to restore, lead time for changes) per environment, from GitHub Deployments and the event bus.',
  branding: { icon: 'bar-chart-2', color: 'purple' },
  inputs: {
    timeframe: { description: 'How far back to look, as a duration: `30d`, `90d`, `12h`.', default: '30d' },
    environment: { description: 'Only this environment; the outputs are its figures. Default: every environment, outputs over all of them.' },
    app: { description: 'Only deploys of this app.' },
    'github-token': {
      secret: 'value',
      description: 'Token to read GitHub Deployments and commit dates (`deployments: read`, `contents: read`). Empty: only the event bus is read.',
      default: '${{ github.token }}',
    },
    'events-redis-url': eventsRedisUrlInput,
    config: configInput,
  },
  outputs: {
    'deployment-frequency': { description: 'Succeeded deploys per day over the timeframe.' },
    'change-failure-rate': {
      description: 'Deploys that reached traffic and then failed (switched back or rolled back), in % of those that reached traffic; empty when none did.',
    },
    'time-to-restore-ms': {
      description: 'Median time from a failed release taking traffic to traffic back on a healthy one, in ms; empty when nothing failed.',
    },
    'lead-time-ms': { description: 'Median time from commit to serving in production, in ms; empty when unknown.' },
    results: { description: 'Every figure per environment and over all, as JSON.' },
    'report-path': { description: 'Path of the JSON report: the figures and every deploy and rollback counted.' },
  },
});
