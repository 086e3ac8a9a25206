import { GitHubDeploymentHistory } from '../../packages/adapters/github/deployment-history.ts';
import { parseDuration } from '../../packages/core/inputs/index.ts';
import { DeployFailure } from '../../packages/core/strategies/deploy-failure.ts';
import { rollbackRelease, type RollbackResult } from '../../packages/core/strategies/rollback.ts';
import type { ActionIO } from '../../packages/runtime/action-io.ts';
import { inputReader } from '../../packages/runtime/input-reader.ts';
import { loadActionConfig } from '../action-config.ts';
import { deployPorts, parseColourPorts, readServiceEnv } from '../deploy-context.ts';
import { eventReporting, recordingDestinations } from '../event-reporting.ts';
import { releaseSummary } from '../release-report.ts';
import { rollback } from './definition.ts';

/** rollback: typed inputs → the rollback strategy on the Docker host and router → outputs. */
export async function rollbackMain(io: ActionIO): Promise<void> {
  const inputs = inputReader(rollback, io);
  const config = await loadActionConfig(inputs.get('config'), io);
  const tuning = config.devops_automator.deployment.blue_green;
  const reason = inputs.get('reason');
  const settings = {
    app: inputs.required('app'),
    environment: inputs.required('environment'),
    to: inputs.get('to'),
    ...(reason ? { reason } : {}),
    env: await readServiceEnv(inputs.get('env'), inputs.get('env-file'), io),
    ...(inputs.given('ports') ? { ports: parseColourPorts(inputs.get('ports')) } : {}),
    health: { ...(inputs.given('health-path') ? { path: inputs.get('health-path') } : {}), intervalMs: 1_000 },
    healthTimeoutMs: inputs.given('health-timeout') ? parseDuration('health-timeout', inputs.get('health-timeout')) : tuning.rollback_timeout,
    lock: { owner: io.context.runner, timeoutMs: parseDuration('lock-timeout', inputs.get('lock-timeout')) },
  };
  const destinations = recordingDestinations(io, inputs.get, config);
  const ports = deployPorts(inputs, io);
  const events = eventReporting(io, { action: rollback.name, app: settings.app, environment: settings.environment }, destinations);
  let result: RollbackResult;
  try {
    const history = destinations.github ? new GitHubDeploymentHistory(destinations.github.api) : undefined;
    result = await rollbackRelease(settings, { ...ports, report: events.report, ...(history ? { history } : {}) });
  } catch (error) {
    if (error instanceof DeployFailure) {
      io.setOutput('release', error.serving?.labels.release ?? '');
      await io.writeSummary(releaseSummary('Rollback', `❌ ${error.message}`, error.serving));
    }
    throw error;
  } finally {
    ports.close();
    await events.close();
  }
  io.setOutput('release', result.active.labels.release);
  io.setOutput('duration-ms', String(Math.round(result.durationMs)));
  const verdict = { switched: '✅ switched back', restarted: '✅ restarted and switched back', unchanged: '✅ already serving: nothing to do' }[result.outcome];
  await io.writeSummary(releaseSummary('Rollback', `${verdict} in ${Math.round(result.durationMs)} ms${reason ? ` (reason: ${reason})` : ''}`, result.active));
}
