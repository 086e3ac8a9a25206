import { ActionFailure } from '../../packages/core/errors.ts';
import type { ActionIO } from '../../packages/runtime/action-io.ts';
import { inputReader } from '../../packages/runtime/input-reader.ts';
import { outputWriter } from '../../packages/runtime/output-writer.ts';
import { loadActionConfig } from '../action-config.ts';
import { eventReporting, eventsRedisUrl } from '../event-reporting.ts';
import { qualityGate } from './definition.ts';
import { evaluateQualityGates, type QualityGateOutcome } from '../use-cases/quality-gates/evaluate-quality-gates.ts';
import { readQualityGateInputs } from '../use-cases/quality-gates/quality-gate-inputs.ts';
import { annotateQualityGates, gateInBrief, qualityGateSummary } from '../use-cases/quality-gates/quality-gate-summary.ts';

/** quality-gate: read inputs, evaluate every gate, write report, outputs, annotations and summary, then the verdict. */
export async function qualityGateMain(io: ActionIO): Promise<void> {
  const inputs = inputReader(qualityGate, io);
  const outputs = outputWriter(qualityGate, io);
  let outcome: QualityGateOutcome;
  let redisUrl: string;
  try {
    // Inputs first: a mistaken one fails before the configuration's parser loads.
    const gateInputs = readQualityGateInputs(inputs.get);
    const config = await loadActionConfig(inputs.get('config'), io);
    redisUrl = eventsRedisUrl(io, inputs.get('events-redis-url'), config);
    outcome = await evaluateQualityGates(gateInputs, {
      io,
      config,
      configPath: inputs.get('config'),
      ...(io.context.repository ? { repository: io.context.repository } : {}),
      ...(io.context.runId ? { runId: io.context.runId } : {}),
    });
  } catch (error) {
    outputs.set('passed', 'false');
    throw error;
  }
  outputs.set('passed', String(outcome.passed));
  outputs.set('results', JSON.stringify(outcome.results));
  outputs.set('report-path', await io.writeReport('quality-gate', outcome));
  annotateQualityGates(outcome, io);
  await io.writeSummary(qualityGateSummary(outcome));
  const failed = outcome.results.filter((r) => !r.passed);
  const verdict =
    failed.length > 0
      ? `${failed.length} of ${outcome.results.length} gates failed: ${failed.map(gateInBrief).join('; ')}`
      : `all ${outcome.results.length} gates passed`;
  const events = eventReporting(io, { action: qualityGate.name, ...(outcome.environment ? { environment: outcome.environment } : {}) }, { redisUrl });
  try {
    await events.report('quality_gate.finished', { outcome: failed.length > 0 ? 'failed' : 'passed', message: verdict });
  } finally {
    await events.close();
  }
  if (failed.length > 0) throw new ActionFailure(verdict);
  io.log.info(`quality-gate: ${verdict}`);
}
