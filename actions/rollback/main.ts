import { GitHubDeploymentHistory } from '../../packages/adapters/github/deployment-history.ts';
import { MAX_TIMER_MS, parseDuration } from '../../packages/core/inputs/index.ts';
import { DeployFailure } from '../../packages/core/strategies/deploy-failure.ts';
import { rollbackRelease, type RollbackResult } from '../../packages/core/strategies/rollback.ts';
import type { ActionIO } from '../../packages/runtime/action-io.ts';
import { inputReader } from '../../packages/runtime/input-reader.ts';
import { outputWriter } from '../../packages/runtime/output-writer.ts';
import { loadActionConfig } from '../action-config.ts';
import { isReleaseId } from '../../packages/core/deploy/release.ts';
import { invalidValue } from '../../packages/core/errors.ts';
import { checkImageReference } from '../../packages/core/images/index.ts';
import { deployPorts, readRecordedPlace, readServiceEnv } from '../deploy-context.ts';
import { eventReporting, recordingDestinations } from '../event-reporting.ts';
import { failOnSplit, reportFleet, type FleetReport } from '../fleet-report.ts';
import { releaseSummary } from '../release-report.ts';
import { rollback } from './definition.ts';
import { evidenceSummary } from '../container-evidence.ts';

/** rollback: typed inputs → the rollback strategy on the Docker host and router → outputs. */
export async function rollbackMain(io: ActionIO): Promise<void> {
  const inputs = inputReader(rollback, io);
  const outputs = outputWriter(rollback, io);
  // The inputs are checked before the configuration file is read: a bad one fails at once.
  const place = readRecordedPlace(inputs, io);
  const to = parseRollbackTarget(inputs.get('to'));
  const reason = inputs.get('reason');
  const envGiven = inputs.given('env') || inputs.given('env-file');
  // Without env inputs, a release restarted from its stopped container runs with the env it had.
  const env = envGiven ? await readServiceEnv(inputs.get('env'), inputs.get('env-file'), io) : undefined;
  const healthTimeoutMs = inputs.given('health-timeout')
    ? parseDuration('health-timeout', inputs.get('health-timeout'), { minMs: 1, maxMs: MAX_TIMER_MS })
    : undefined;
  const config = await loadActionConfig(inputs.get('config'), io);
  const settings = {
    ...place,
    to,
    ...(reason ? { reason } : {}),
    ...(env ? { env } : {}),
    healthTimeoutMs: healthTimeoutMs ?? config.devops_automator.deployment.blue_green.rollback_timeout,
  };
  const destinations = recordingDestinations(io, inputs.get, config);
  const ports = await deployPorts(inputs, io, config);
  const events = eventReporting(io, { action: rollback.name, app: settings.app, environment: settings.environment }, destinations);
  let result: RollbackResult;
  let fleet: FleetReport;
  try {
    const history = destinations.github ? new GitHubDeploymentHistory(destinations.github.api) : undefined;
    result = await rollbackRelease(settings, { ...ports, report: events.report, ...(history ? { history } : {}) });
    fleet = await reportFleet(ports.fleet, settings, outputs, io.log);
  } catch (error) {
    const { summary } = await reportFleet(ports.fleet, settings, outputs, io.log);
    if (error instanceof DeployFailure) {
      outputs.set('release', error.serving?.labels.release ?? '');
      await io.writeSummary([
        ...releaseSummary('Rollback', `❌ ${error.message}`, error.serving),
        ...summary,
        ...(error.evidence ? evidenceSummary(error.evidence) : []),
      ]);
    }
    throw error;
  } finally {
    await ports.close();
    await events.close();
  }
  outputs.set('release', result.active.labels.release);
  outputs.set('duration-ms', String(Math.round(result.durationMs)));
  const verdict = { switched: '✅ switched back', restarted: '✅ restarted and switched back', unchanged: '✅ already serving: nothing to do' }[result.outcome];
  await io.writeSummary([
    ...releaseSummary('Rollback', `${verdict} in ${Math.round(result.durationMs)} ms${reason ? ` (reason: ${reason})` : ''}`, result.active),
    ...fleet.summary,
  ]);
  failOnSplit(fleet);
}

/** `previous`, a release id, or an image reference: never anything docker could read as an option. */
function parseRollbackTarget(raw: string): string {
  const to = raw.trim();
  if (to === 'previous' || isReleaseId(to)) return to;
  try {
    return checkImageReference('to', to);
  } catch {
    throw invalidValue('to', raw, 'use previous, a release id such as r20250301120000-3f2a9c0b1d4e, or an image reference such as ghcr.io/acme/shop:1.4.2');
  }
}
