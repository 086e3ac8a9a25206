import { switchBackRefusal } from '../../packages/core/config/automatic-rollback.ts';
import { MAX_TIMER_MS, parseBoolean, parseDuration } from '../../packages/core/inputs/index.ts';
import { deployBlueGreen as runDeploy, type BlueGreenResult } from '../../packages/core/strategies/blue-green-deploy.ts';
import { DeployFailure } from '../../packages/core/strategies/deploy-failure.ts';
import type { ActionIO } from '../../packages/runtime/action-io.ts';
import { inputReader } from '../../packages/runtime/input-reader.ts';
import { outputWriter } from '../../packages/runtime/output-writer.ts';
import { loadActionConfig } from '../action-config.ts';
import { checkImageReference } from '../../packages/core/images/index.ts';
import { evidenceSummary } from '../container-evidence.ts';
import { deployPorts, readReleasePlace, readServiceEnv } from '../deploy-context.ts';
import { gateDeploy } from '../use-cases/quality-gates/deploy-quality-gates.ts';
import { eventReporting, recordingDestinations } from '../event-reporting.ts';
import { qualityGateSummary } from '../use-cases/quality-gates/quality-gate-summary.ts';
import { failOnSplit, reportFleet, type FleetReport } from '../fleet-report.ts';
import { releaseOutputs, releaseSummary } from '../release-report.ts';
import { deployBlueGreen } from './definition.ts';

/** deploy-blue-green: typed inputs → quality gates → the blue-green strategy on the Docker host and router → outputs. */
export async function deployBlueGreenMain(io: ActionIO): Promise<void> {
  const inputs = inputReader(deployBlueGreen, io);
  const outputs = outputWriter(deployBlueGreen, io);
  // The inputs are checked before the configuration file is read: a bad one fails at once.
  const env = await readServiceEnv(inputs.get('env'), inputs.get('env-file'), io);
  const place = readReleasePlace(inputs, io);
  const image = checkImageReference('image', inputs.required('image'));
  const duration = (name: 'health-timeout' | 'switch-delay', minMs: number): number | undefined =>
    inputs.given(name) ? parseDuration(name, inputs.get(name), { minMs, maxMs: MAX_TIMER_MS }) : undefined;
  const healthTimeoutMs = duration('health-timeout', 1);
  const switchDelayMs = duration('switch-delay', 0);
  const keepPrevious = parseBoolean('keep-previous', inputs.get('keep-previous'));
  const config = await loadActionConfig(inputs.get('config'), io);
  const tuning = config.devops_automator.deployment.blue_green;
  const keepWhenUnhealthy = switchBackRefusal(config, place.environment);
  const settings = {
    ...place,
    ...(keepWhenUnhealthy ? { keepWhenUnhealthy } : {}),
    image,
    env,
    healthTimeoutMs: healthTimeoutMs ?? tuning.health_check_timeout,
    switchDelayMs: switchDelayMs ?? tuning.traffic_switch_delay,
    keepPrevious,
    ...(io.context.commit ? { commit: io.context.commit } : {}),
    ...(io.context.actor ? { actor: io.context.actor } : {}),
  };
  const destinations = recordingDestinations(io, inputs.get, config);
  const ports = await deployPorts(inputs, io, config);
  const events = eventReporting(
    io,
    { action: deployBlueGreen.name, app: settings.app, environment: settings.environment, strategy: 'blue_green' },
    destinations,
  );
  let result: BlueGreenResult;
  let fleet: FleetReport;
  try {
    const gates = await gateDeploy({
      io,
      config,
      get: inputs.get,
      environment: settings.environment,
      image: settings.image,
      report: events.report,
      startedEvent: 'deploy.started',
      summaryTitle: 'Blue-green deploy',
    });
    result = await runDeploy(settings, { ...ports, report: events.report });
    fleet = await reportFleet(ports.fleet, settings, outputs, io.log);
    const verdict =
      result.outcome === 'unchanged' ? `✅ ${result.active.labels.image} already live: nothing to do` : `✅ deployed in ${Math.round(result.durationMs)} ms`;
    await io.writeSummary([
      ...releaseSummary('Blue-green deploy', verdict, result.active, result.previous),
      ...fleet.summary,
      ...(gates ? qualityGateSummary(gates) : []),
    ]);
  } catch (error) {
    const { summary } = await reportFleet(ports.fleet, settings, outputs, io.log);
    if (error instanceof DeployFailure) {
      releaseOutputs(outputs, error.serving, undefined);
      await io.writeSummary([
        ...releaseSummary('Blue-green deploy', `❌ ${error.message}`, error.serving),
        ...summary,
        ...(error.evidence ? evidenceSummary(error.evidence) : []),
      ]);
    }
    throw error;
  } finally {
    await ports.close();
    await events.close();
  }
  releaseOutputs(outputs, result.active, result.previous);
  outputs.set('duration-ms', String(Math.round(result.durationMs)));
  failOnSplit(fleet);
}
