import { NginxPreviewSites } from '../../packages/adapters/routers/nginx-preview-sites.ts';
import { commentPreviewLink, markPreviewInactive } from '../../packages/adapters/github/preview-records.ts';
import { checkNamePart } from '../../packages/core/deploy/release.ts';
import { parseDuration, parseUrlPath } from '../../packages/core/inputs/index.ts';
import { checkImageReference } from '../../packages/core/images/index.ts';
import { deployPreview as runDeploy, type PreviewResult } from '../../packages/core/previews/preview-deploy.ts';
import { previewAddress, previewNumber, previewTarget } from '../../packages/core/previews/preview-place.ts';
import { DeployFailure } from '../../packages/core/strategies/deploy-failure.ts';
import type { ActionIO } from '../../packages/runtime/action-io.ts';
import { inputReader, type InputReader } from '../../packages/runtime/input-reader.ts';
import { outputWriter } from '../../packages/runtime/output-writer.ts';
import { loadActionConfig } from '../action-config.ts';
import { deployPorts, readServiceEnv } from '../deploy-context.ts';
import { eventReporting, recordingDestinations } from '../event-reporting.ts';
import { releaseSummary } from '../release-report.ts';
import type { TrafficInputName } from '../shared-inputs.ts';
import { deployPreview } from './preview-definition.ts';

const TITLE = 'Preview deploy';

/** deploy (a pr-<number> environment): typed inputs → the preview deploy on the Docker host and nginx → outputs, GitHub. */
export async function deployPreviewMain(io: ActionIO): Promise<void> {
  const inputs = inputReader(deployPreview, io);
  const outputs = outputWriter(deployPreview, io);
  const config = await loadActionConfig(inputs.get('config'), io);
  const environment = previewTarget(inputs.get('preview'), inputs.get('environment'));
  const number = previewNumber(environment)!;
  // The Docker host and prober from the shared traffic inputs, with no router between a preview's releases.
  const traffic: InputReader<TrafficInputName> = {
    get: (name) => (name === 'environment' ? environment : name === 'router' ? 'none' : inputs.get(name as never)),
    required: (name) => (name === 'environment' ? environment : name === 'router' ? 'none' : inputs.required(name as never)),
    given: (name) => (name === 'environment' || name === 'router' ? true : inputs.given(name as never)),
  };
  const { previews } = config;
  // Checked here like readReleasePlace does, but a preview's port comes from previews.ports, not `ports`.
  const place = {
    app: checkNamePart('app', inputs.required('app')),
    environment: checkNamePart('environment', environment),
    health: { path: parseUrlPath('health-path', inputs.get('health-path')), intervalMs: 1_000 },
    lock: { owner: io.context.runner, timeoutMs: parseDuration('lock-timeout', inputs.get('lock-timeout')) },
  };
  const sites = new NginxPreviewSites(inputs.required('preview-router-endpoint'), previews.listen);
  const settings = {
    ...place,
    image: checkImageReference('image', inputs.required('image')),
    env: await readServiceEnv(inputs.get('env'), inputs.get('env-file'), io),
    healthTimeoutMs: inputs.given('health-timeout')
      ? parseDuration('health-timeout', inputs.get('health-timeout'), { minMs: 1 })
      : config.devops_automator.deployment.blue_green.health_check_timeout,
    observeMs: 0,
    range: previews.ports,
    templates: { host: previews.host, url: previews.url },
    maxAgeMs: previews.max_age,
    maxCount: previews.max_count,
    ...(io.context.commit ? { commit: io.context.commit } : {}),
    ...(io.context.actor ? { actor: io.context.actor } : {}),
  };
  const url = inputs.get('environment-url') || previewAddress(settings.templates, number).url;
  const destinations = recordingDestinations(io, inputs.get, config);
  const github = destinations.github ? { ...destinations.github, environmentUrl: url, transient: true } : undefined;
  const ports = await deployPorts(traffic, io, config, { routerNone: true });
  const events = eventReporting(
    io,
    { action: deployPreview.name, app: settings.app, environment, strategy: 'direct' },
    { ...destinations, ...(github ? { github } : {}) },
  );
  let result: PreviewResult;
  try {
    result = await runDeploy(settings, { ...ports, sites, report: events.report });
  } catch (error) {
    if (error instanceof DeployFailure) await io.writeSummary(releaseSummary(TITLE, `❌ ${error.message}`, error.serving));
    throw error;
  } finally {
    await ports.close();
    await events.close();
  }
  if (github) {
    for (const { environment: gone } of result.retired) await markPreviewInactive(github.api, gone, io.log);
    const token = inputs.get('github-token');
    await commentPreviewLink(
      { token, repository: github.api.repository, ...(io.context.githubApiUrl ? { baseUrl: io.context.githubApiUrl } : {}) },
      number,
      `Preview of this pull request: ${url} (release ${result.active.labels.release}, ${settings.image})`,
      io.log,
    );
  }
  const retired = result.retired.map((r) => `${r.environment} (${r.why})`);
  const verdict = `✅ preview ${environment} at ${url} (port ${result.port}, host ${result.host}) in ${Math.round(result.durationMs)} ms${retired.length ? `; torn down first: ${retired.join(', ')}` : ''}`;
  await io.writeSummary(releaseSummary(TITLE, verdict, result.active));
  outputs.set('url', url);
  outputs.set('environment-url', url);
  outputs.set('port', String(result.port));
  outputs.set('release', result.active.labels.release);
  outputs.set('duration-ms', String(Math.round(result.durationMs)));
  outputs.set('retired', result.retired.map((r) => r.environment).join(','));
}
