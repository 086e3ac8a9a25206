import { createHttpLoad } from '../../packages/adapters/load/http-load.ts';
import { systemClock } from '../../packages/adapters/probes/system-clock.ts';
import { ActionFailure } from '../../packages/core/errors.ts';
import { parseEnum } from '../../packages/core/inputs/index.ts';
import { controlCanary } from '../../packages/core/strategies/canary-control.ts';
import { deployCanary as runCanary } from '../../packages/core/strategies/canary-deploy.ts';
import type { CanaryResult } from '../../packages/core/strategies/canary-ports.ts';
import { DeployFailure } from '../../packages/core/strategies/deploy-failure.ts';
import type { ActionIO } from '../../packages/runtime/action-io.ts';
import { inputReader } from '../../packages/runtime/input-reader.ts';
import { outputWriter } from '../../packages/runtime/output-writer.ts';
import { loadActionConfig } from '../action-config.ts';
import { deployPorts, readScope } from '../deploy-context.ts';
import { gateDeploy } from '../use-cases/quality-gates/deploy-quality-gates.ts';
import { eventReporting, recordingDestinations } from '../event-reporting.ts';
import { failOnSplit, reportFleet, type FleetReport } from '../fleet-report.ts';
import { releaseSummary } from '../release-report.ts';
import { deployCanary } from './definition.ts';
import { CANARY_ACTIONS, readCanaryStart } from './inputs.ts';
import { canaryMeasuring } from './measuring.ts';
import { canarySummary, canaryVerdict } from './summary.ts';

/** deploy-canary: typed inputs → quality gates → the canary strategy (or promote/abort of a paused one) → outputs, analysis file, summary. */
export async function deployCanaryMain(io: ActionIO): Promise<void> {
  const inputs = inputReader(deployCanary, io);
  const outputs = outputWriter(deployCanary, io);
  // The inputs it can check alone are checked before the configuration file is read.
  const action = parseEnum('action', inputs.get('action'), CANARY_ACTIONS);
  const { app, environment, lock } = readScope(inputs, io);
  const config = await loadActionConfig(inputs.get('config'), io);
  const start = action === 'start' ? await readCanaryStart(inputs, config, io) : undefined;
  const destinations = recordingDestinations(io, inputs.get, config);
  const ports = await deployPorts(inputs, io, config);
  const events = eventReporting(io, { action: deployCanary.name, app, environment, strategy: 'canary' }, destinations);
  let result: CanaryResult;
  let fleet: FleetReport;
  try {
    if (!start) {
      const reason = inputs.get('reason');
      const settings = { app, environment, lock, fallbackHealthPath: inputs.get('health-path'), ...(reason ? { reason } : {}) };
      result = await controlCanary(action as 'promote' | 'abort', settings, { ...ports, report: events.report });
    } else {
      await gateDeploy({
        io,
        config,
        get: inputs.get,
        environment,
        image: start.settings.image,
        report: events.report,
        startedEvent: 'canary.started',
        summaryTitle: 'Canary deploy',
      });
      const load = start.load ? createHttpLoad(start.load, systemClock) : undefined;
      result = await runCanary(start.settings, {
        ...ports,
        report: events.report,
        measuring: canaryMeasuring({ ...start.metrics, hosts: ports.fleet }, start.judge, load),
      });
    }
    fleet = await reportFleet(ports.fleet, { app, environment }, outputs, io.log);
  } catch (error) {
    const { summary } = await reportFleet(ports.fleet, { app, environment }, outputs, io.log);
    if (error instanceof DeployFailure) {
      outputs.set('previous-release', error.serving?.labels.release ?? '');
      await io.writeSummary([...releaseSummary('Canary deploy', `❌ ${error.message}`, error.serving), ...summary]);
    }
    throw error;
  } finally {
    await ports.close();
    await events.close();
  }

  const { canary, stable, baseline, ...rest } = result;
  const comparedWith = baseline ? 'baseline' : 'stable';
  const analysisPath = await io.writeReport(`canary-${app}-${environment}`, {
    action,
    comparedWith,
    ...rest,
    canary: canary?.labels,
    stable: stable?.labels,
    baseline: baseline?.labels,
    judge: start?.judge,
    ...(start?.load ? { load: { rate: start.load.rate, url: start.load.url } } : {}),
  });
  outputs.set('outcome', result.outcome);
  outputs.set('canary-weight', String(result.canaryWeight));
  outputs.set('release', canary?.labels.release ?? '');
  outputs.set('previous-release', stable?.labels.release ?? '');
  outputs.set('analysis-path', analysisPath);
  outputs.set('duration-ms', String(Math.round(result.durationMs)));
  await io.writeSummary([...canarySummary(result), ...fleet.summary]);
  failOnSplit(fleet);
  // The judge's abort is a verdict against the release: the job fails. An abort asked for is not.
  if (result.outcome === 'aborted' && action === 'start') throw new ActionFailure(canaryVerdict(result).replace(/^❌ /, 'the canary was '));
}
