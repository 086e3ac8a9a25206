import { readEventHistory } from '../../packages/adapters/bus/redis-history.ts';
import { commitTimeFromGit } from '../../packages/adapters/git/commit-time.ts';
import { readDeploymentRecords } from '../../packages/adapters/github/deployment-history.ts';
import { ActionFailure, ConfigurationError, errorMessage } from '../../packages/core/errors.ts';
import { parseDuration } from '../../packages/core/inputs/index.ts';
import { addCommitTimes } from '../../packages/core/metrics/commit-times.ts';
import { mergeRecords, type DeploymentRecord } from '../../packages/core/metrics/deployment-record.ts';
import { computeDoraMetrics } from '../../packages/core/metrics/dora-metrics.ts';
import { recordsFromEvents } from '../../packages/core/metrics/records-from-events.ts';
import type { ActionIO } from '../../packages/runtime/action-io.ts';
import { inputReader } from '../../packages/runtime/input-reader.ts';
import { outputWriter } from '../../packages/runtime/output-writer.ts';
import { loadActionConfig } from '../action-config.ts';
import { eventsRedisUrl } from '../event-reporting.ts';
import { githubDeployments } from '../github-deployments.ts';
import { metrics } from './definition.ts';
import { doraSummary } from './summary.ts';

interface Scope {
  since: number;
  environment?: string;
  app?: string;
}

/** metrics: the deploy histories configured (GitHub Deployments, the event bus) → the DORA four → outputs, report, summary. */
export async function metricsMain(io: ActionIO): Promise<void> {
  const inputs = inputReader(metrics, io);
  const outputs = outputWriter(metrics, io);
  const config = await loadActionConfig(inputs.get('config'), io);
  const until = Date.now();
  const timeframe = parseDuration('timeframe', inputs.get('timeframe'));
  if (timeframe === 0) throw new ConfigurationError('timeframe: "0" is not valid; give a duration longer than zero, e.g. 30d');
  const environment = inputs.get('environment');
  const app = inputs.get('app');
  const scope: Scope = { since: until - timeframe, ...(environment ? { environment } : {}), ...(app ? { app } : {}) };
  const redisUrl = eventsRedisUrl(io, inputs.get('events-redis-url'), config);
  const github = githubDeployments(io, inputs.get('github-token'), 'read');
  if (!github && !redisUrl) {
    throw new ConfigurationError(
      'metrics needs a deploy history: github-token with GITHUB_REPOSITORY (GitHub Deployments), or events-redis-url (the event bus); neither was given',
    );
  }

  const fromGitHub = github ? await readDeploymentRecords(github, scope) : [];
  const fromEvents = redisUrl ? await eventRecords(redisUrl, scope, io, github !== undefined) : [];
  io.log.info(`metrics: ${fromGitHub.length} deployments from GitHub, ${fromEvents.length} runs from the event bus`);
  const records = mergeRecords(fromGitHub, fromEvents);
  // Lead time needs each commit's date: from GitHub, else from the local clone.
  const { workspace } = io.context;
  await addCommitTimes(records, async (sha) => (github ? await github.commitTime(sha) : undefined) ?? commitTimeFromGit(workspace, sha));
  const report = computeDoraMetrics(records, { since: scope.since, until });

  // The records are read for `environment` only when it is given, so `all` is then its figures.
  const { deploymentFrequency, changeFailureRate, timeToRestore, leadTime } = report.all;
  const text = (value: number | null): string => (value === null ? '' : String(+value.toFixed(2)));
  outputs.set('deployment-frequency', text(deploymentFrequency.perDay));
  outputs.set('change-failure-rate', text(changeFailureRate.rate));
  outputs.set('time-to-restore-ms', text(timeToRestore.medianMs === null ? null : Math.round(timeToRestore.medianMs)));
  outputs.set('lead-time-ms', text(leadTime.medianMs === null ? null : Math.round(leadTime.medianMs)));
  outputs.set('results', JSON.stringify(report));
  const reportPath = await io.writeReport('metrics', { ...report, records: records.sort((a, b) => a.startedAt - b.startedAt) });
  outputs.set('report-path', reportPath);
  await io.writeSummary(doraSummary(report));
}

/** The event bus's runs. An unreadable bus only warns when GitHub is read too; alone, it fails the action. */
async function eventRecords(url: string, scope: Scope, io: ActionIO, githubRead: boolean): Promise<DeploymentRecord[]> {
  try {
    const filter = { ...(scope.environment ? { environment: scope.environment } : {}), ...(scope.app ? { app: scope.app } : {}) };
    return recordsFromEvents(await readEventHistory(url, scope.since, filter));
  } catch (error) {
    if (!githubRead) throw new ActionFailure(errorMessage(error));
    io.log.warning(`metrics: ${errorMessage(error)}; counting GitHub Deployments only`);
    return [];
  }
}
