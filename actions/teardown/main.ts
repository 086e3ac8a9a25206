import { DockerTarget } from '../../packages/adapters/docker/docker-target.ts';
import { markPreviewInactive } from '../../packages/adapters/github/preview-records.ts';
import { NginxPreviewSites } from '../../packages/adapters/routers/nginx-preview-sites.ts';
import { checkNamePart } from '../../packages/core/deploy/release.ts';
import { invalidValue } from '../../packages/core/errors.ts';
import { parseDuration } from '../../packages/core/inputs/index.ts';
import { previewNumber } from '../../packages/core/previews/preview-place.ts';
import { teardownPreview } from '../../packages/core/previews/preview-teardown.ts';
import type { ActionIO } from '../../packages/runtime/action-io.ts';
import { inputReader } from '../../packages/runtime/input-reader.ts';
import { outputWriter } from '../../packages/runtime/output-writer.ts';
import { loadActionConfig } from '../action-config.ts';
import { previewTarget } from '../../packages/core/previews/preview-place.ts';
import { eventReporting, eventsRedisUrl } from '../event-reporting.ts';
import { githubDeployments } from '../github-deployments.ts';
import { teardown } from './definition.ts';

/** teardown: a preview's router entry and containers removed under its lock; its GitHub deployments inactive. */
export async function teardownMain(io: ActionIO): Promise<void> {
  const inputs = inputReader(teardown, io);
  const outputs = outputWriter(teardown, io);
  const config = await loadActionConfig(inputs.get('config'), io);
  const app = checkNamePart('app', inputs.required('app'));
  const environment = previewTarget(inputs.get('preview'), inputs.get('environment'));
  if (previewNumber(environment) === undefined) {
    throw invalidValue('environment', environment, 'teardown removes previews only: give pr-<number>, or the preview input');
  }
  const reason = inputs.get('reason');
  const lock = { owner: io.context.runner, timeoutMs: parseDuration('lock-timeout', inputs.get('lock-timeout')) };
  const sites = new NginxPreviewSites(inputs.required('preview-router-endpoint'), config.previews.listen);
  const dockerHost = inputs.get('docker-host');
  const target = new DockerTarget({ ...(dockerHost ? { dockerHost } : {}), logger: io.log });
  const api = githubDeployments(io, inputs.get('github-token'), 'read');
  const events = eventReporting(io, { action: teardown.name, app, environment }, { redisUrl: eventsRedisUrl(io, inputs.get('events-redis-url'), config) });
  try {
    const { removed } = await teardownPreview({ app, environment, reason, lock }, { target, logger: io.log, sites, report: events.report });
    if (api) await markPreviewInactive(api, environment, io.log);
    outputs.set('removed', removed.join(','));
    await io.writeSummary([
      { kind: 'heading', text: 'Preview teardown', level: 2 },
      {
        kind: 'paragraph',
        text: `✅ preview ${environment} of ${app} removed (${reason}): ${removed.length ? removed.join(', ') : 'no containers were left'}; its router entry is gone${api ? ' and its GitHub deployments are inactive' : ''}.`,
      },
    ]);
  } finally {
    await events.close();
  }
}
