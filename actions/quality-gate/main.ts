import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ActionFailure } from '../../packages/core/errors.ts';
import type { ActionIO } from '../../packages/runtime/action-io.ts';
import { inputReader } from '../../packages/runtime/input-reader.ts';
import { loadActionConfig } from '../action-config.ts';
import { eventReporting, eventsRedisUrl } from '../event-reporting.ts';
import { qualityGate } from './definition.ts';
import { evaluateQualityGates, type QualityGateOutcome } from './evaluate-quality-gates.ts';
import { readQualityGateInputs } from './inputs.ts';
import { annotateQualityGates, gateInBrief, qualityGateSummary } from './summary.ts';

async function writeReport(outcome: QualityGateOutcome, io: ActionIO): Promise<string> {
  const reportPath = path.join(io.context.tempDir, `sidhe-quality-gate-${Date.now()}.json`);
  await writeFile(reportPath, `${JSON.stringify(outcome, null, 2)}\n`);
  return reportPath;
}

/** quality-gate: read inputs, evaluate every gate, write report, outputs, annotations and summary, then the verdict. */
export async function qualityGateMain(io: ActionIO): Promise<void> {
  const inputs = inputReader(qualityGate, io);
  let outcome: QualityGateOutcome;
  let redisUrl = '';
  try {
    // Inputs first: a mistaken one fails before the configuration's parser loads.
    const gateInputs = readQualityGateInputs(inputs.get);
    const config = await loadActionConfig(inputs.get('config'), io);
    redisUrl = eventsRedisUrl(io, inputs.get('events-redis-url'), config);
    outcome = await evaluateQualityGates(gateInputs, {
      io,
      config,
      configPath: inputs.get('config'),
      ...(process.env.GITHUB_REPOSITORY ? { repository: process.env.GITHUB_REPOSITORY } : {}),
      ...(process.env.GITHUB_RUN_ID ? { runId: process.env.GITHUB_RUN_ID } : {}),
    });
  } catch (error) {
    io.setOutput('passed', 'false');
    throw error;
  }
  io.setOutput('passed', String(outcome.passed));
  io.setOutput('results', JSON.stringify(outcome.results));
  io.setOutput('report-path', await writeReport(outcome, io));
  annotateQualityGates(outcome, io);
  await io.writeSummary(qualityGateSummary(outcome));
  const failed = outcome.results.filter((r) => !r.passed);
  const verdict = failed.length > 0 ? `${failed.length} of ${outcome.results.length} gates failed: ${failed.map(gateInBrief).join('; ')}` : `all ${outcome.results.length} gates passed`;
  const events = eventReporting(io, { action: qualityGate.name, ...(outcome.environment ? { environment: outcome.environment } : {}) }, { redisUrl });
  try {
    await events.report('quality_gate.finished', { outcome: failed.length > 0 ? 'failed' : 'passed', message: verdict });
  } finally {
    await events.close();
  }
  if (failed.length > 0) throw new ActionFailure(verdict);
  io.log.info(`quality-gate: ${verdict}`);
}
