import { parseDuration } from '../../packages/core/inputs/index.ts';
import { checkImageReference } from '../../packages/core/images/index.ts';
import { DeployFailure } from '../../packages/core/strategies/deploy-failure.ts';
import { deployDirect as runDeploy, type DirectResult } from '../../packages/core/strategies/direct-deploy.ts';
import type { ActionIO } from '../../packages/runtime/action-io.ts';
import { inputReader } from '../../packages/runtime/input-reader.ts';
import { outputWriter } from '../../packages/runtime/output-writer.ts';
import { loadActionConfig } from '../action-config.ts';
import { deployPorts, readReleasePlace, readServiceEnv } from '../deploy-context.ts';
import { gateDeploy } from '../use-cases/quality-gates/deploy-quality-gates.ts';
import { eventReporting, recordingDestinations } from '../event-reporting.ts';
import { failOnSplit, reportFleet, type FleetReport } from '../fleet-report.ts';
import { releaseOutputs, releaseSummary } from '../release-report.ts';
import { deployDirect } from './direct-definition.ts';

const TITLE = 'Direct deploy';

/** deploy (strategy direct): typed inputs → quality gates → the direct strategy on the Docker host (and router) → outputs. */
export async function deployDirectMain(io: ActionIO): Promise<void> {
  const inputs = inputReader(deployDirect, io);
  const outputs = outputWriter(deployDirect, io);
  const config = await loadActionConfig(inputs.get('config'), io);
  const tuning = config.devops_automator.deployment.blue_green;
  const routed = inputs.required('router') !== 'none';
  const settings = {
    ...readReleasePlace(inputs, io),
    image: checkImageReference('image', inputs.required('image')),
    env: await readServiceEnv(inputs.get('env'), inputs.get('env-file'), io),
    routed,
    healthTimeoutMs: inputs.given('health-timeout') ? parseDuration('health-timeout', inputs.get('health-timeout'), { minMs: 1 }) : tuning.health_check_timeout,
    observeMs: inputs.given('switch-delay') ? parseDuration('switch-delay', inputs.get('switch-delay')) : 0,
    ...(io.context.commit ? { commit: io.context.commit } : {}),
    ...(io.context.actor ? { actor: io.context.actor } : {}),
  };
  const destinations = recordingDestinations(io, inputs.get, config);
  const ports = await deployPorts(inputs, io, config, { routerNone: true });
  const events = eventReporting(io, { action: deployDirect.name, app: settings.app, environment: settings.environment, strategy: 'direct' }, destinations);
  let result: DirectResult;
  let fleet: FleetReport;
  try {
    await gateDeploy({
      io,
      config,
      get: inputs.get,
      environment: settings.environment,
      image: settings.image,
      report: events.report,
      startedEvent: 'deploy.started',
      summaryTitle: TITLE,
    });
    result = await runDeploy(settings, { ...ports, report: events.report });
    fleet = await reportFleet(ports.fleet, settings, outputs, io.log);
  } catch (error) {
    const { summary } = await reportFleet(ports.fleet, settings, outputs, io.log);
    if (error instanceof DeployFailure) {
      releaseOutputs(outputs, error.serving, undefined);
      await io.writeSummary([...releaseSummary(TITLE, `❌ ${error.message}`, error.serving), ...summary]);
    }
    throw error;
  } finally {
    await ports.close();
    await events.close();
  }
  await io.writeSummary([...releaseSummary(TITLE, verdict(result, routed), result.active, result.previous), ...fleet.summary]);
  releaseOutputs(outputs, result.active, result.previous);
  outputs.set('duration-ms', String(Math.round(result.durationMs)));
  outputs.set('unreachable-ms', result.unreachableMs === undefined ? '' : String(result.unreachableMs));
  failOnSplit(fleet);
}

function verdict(result: DirectResult, routed: boolean): string {
  if (result.outcome === 'unchanged') return `✅ ${result.active.labels.image} already live: nothing to do`;
  const gap = result.unreachableMs === undefined ? '' : `; without a router, nothing answered for ${result.unreachableMs} ms`;
  const kept = result.previous ? `; the previous release was stopped (no instant rollback: \`rollback\` restarts it)` : '';
  return `✅ deployed in place in ${Math.round(result.durationMs)} ms${routed ? ' behind the router' : ''}${gap}${kept}`;
}
