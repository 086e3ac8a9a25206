import { parse } from 'yaml';
import type { DevopsConfig } from '../../../packages/core/config/index.ts';
import { pushThatDoesNotDeploy } from '../../../packages/core/deploy/push-branches.ts';
import { ActionFailure, ActionSkipped, ConfigurationError, invalidValue } from '../../../packages/core/errors.ts';
import type { ActionIO } from '../../../packages/runtime/action-io.ts';
import { evaluateQualityGates, type QualityGateOutcome } from './evaluate-quality-gates.ts';
import { readQualityGateInputs } from './quality-gate-inputs.ts';
import { annotateQualityGates, gateInBrief, qualityGateSummary } from './quality-gate-summary.ts';
import { releaseSummary } from '../../release-report.ts';
import { GATE_KEYS, type GateInput } from './quality-gates-input.ts';

/** `quality-gates` as the quality-gate inputs it sets; a YAML list joins into lines, as a multi-line input would. */
export function parseQualityGatesInput(raw: string): Map<GateInput, string> {
  let value: unknown;
  try {
    value = parse(raw);
  } catch (error) {
    throw invalidValue('quality-gates', raw, `write \`name: value\` lines (YAML); ${(error as Error).message.split('\n')[0]}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidValue('quality-gates', raw, `write \`name: value\` lines, names from: ${GATE_KEYS.join(', ')}`);
  }
  const settings = new Map<GateInput, string>();
  for (const [key, given] of Object.entries(value)) {
    if (!(GATE_KEYS as string[]).includes(key)) {
      throw new ConfigurationError(`quality-gates: ${JSON.stringify(key)} is not a quality gate input; use: ${GATE_KEYS.join(', ')}`);
    }
    const lines = Array.isArray(given) ? given : [given];
    if (lines.length === 0 || lines.some((line) => typeof line === 'object')) {
      throw invalidValue(`quality-gates: ${key}`, JSON.stringify(given), 'give a value or a list of values');
    }
    settings.set(key as GateInput, lines.map(String).join('\n'));
  }
  return settings;
}

export interface DeployGateContext {
  io: ActionIO;
  config: DevopsConfig;
  configPath: string;
  environment: string;
  githubToken: string;
}

/**
 * The deploy's quality gates, evaluated as the quality-gate action would for this environment, or
 * undefined when `quality-gates` is empty. Annotates what failed; the caller refuses the deploy.
 */
export async function deployQualityGates(raw: string, context: DeployGateContext): Promise<QualityGateOutcome | undefined> {
  if (raw.trim() === '') return undefined;
  const settings = parseQualityGatesInput(raw);
  const get = (name: GateInput): string =>
    name === 'environment' ? context.environment : name === 'github-token' ? context.githubToken : (settings.get(name) ?? '');
  let outcome: QualityGateOutcome;
  try {
    outcome = await evaluateQualityGates(readQualityGateInputs(get), {
      io: context.io,
      config: context.config,
      configPath: context.configPath,
      ...(context.io.context.repository ? { repository: context.io.context.repository } : {}),
      ...(context.io.context.runId ? { runId: context.io.context.runId } : {}),
    });
  } catch (error) {
    // The gate names the quality-gate input (`junit: …`); here that input is a line of quality-gates.
    if (error instanceof ConfigurationError) throw new ConfigurationError(`quality-gates: ${error.message}`);
    throw error;
  }
  annotateQualityGates(outcome, context.io);
  return outcome;
}

/** Why a deploy was refused by its gates, naming each failed gate. */
export function gatesRefusal(outcome: QualityGateOutcome, environment: string): ActionFailure {
  const which = outcome.results
    .filter((r) => !r.passed)
    .map(gateInBrief)
    .join('; ');
  return new ActionFailure(`quality gates for ${environment} failed (${which}): nothing was deployed and traffic was not touched`);
}

/** What a deploy door hands gateDeploy(): its inputs, where it reports, and how its summary is titled. */
export interface GatedDeploy {
  io: ActionIO;
  config: DevopsConfig;
  get: (name: 'quality-gates' | 'config' | 'github-token') => string;
  environment: string;
  image: string;
  report: (type: 'deploy.started' | 'canary.started' | 'deploy.failed', fields: { image?: string; message?: string }) => Promise<void>;
  /** The event that opens this strategy's record, so a refusal is recorded like any deploy. */
  startedEvent: 'deploy.started' | 'canary.started';
  summaryTitle: string;
}

/**
 * Every deploy door's gate, before anything is started: a push to a branch not in
 * ci_cd.auto_deploy_branches skips the deploy; then `quality-gates` is evaluated (unless
 * ci_cd.quality_gates_required is false), and when a gate fails the refusal is recorded, summarised
 * and thrown. Returns the outcome for the summary.
 */
export async function gateDeploy(deploy: GatedDeploy): Promise<QualityGateOutcome | undefined> {
  const { io, get, environment } = deploy;
  const ciCd = deploy.config.devops_automator.ci_cd;
  const notThisBranch = pushThatDoesNotDeploy(ciCd.auto_deploy_branches, io.context.event, io.context.ref);
  if (notThisBranch) {
    await io.writeSummary(releaseSummary(deploy.summaryTitle, `⏭️ ${notThisBranch}; nothing was deployed`));
    throw new ActionSkipped(`${notThisBranch}; nothing was deployed`);
  }
  if (!ciCd.quality_gates_required && get('quality-gates').trim() !== '') {
    io.annotate({ level: 'notice', message: `quality-gates were not evaluated: devops_automator.ci_cd.quality_gates_required is false in ${get('config')}` });
    return undefined;
  }
  const gates = await deployQualityGates(get('quality-gates'), {
    io,
    config: deploy.config,
    configPath: get('config'),
    environment,
    githubToken: get('github-token'),
  });
  if (gates && !gates.passed) {
    const refusal = gatesRefusal(gates, environment);
    await deploy.report(deploy.startedEvent, { image: deploy.image });
    await deploy.report('deploy.failed', { message: refusal.message });
    await io.writeSummary([...releaseSummary(deploy.summaryTitle, `❌ ${refusal.message}`), ...qualityGateSummary(gates)]);
    throw refusal;
  }
  return gates;
}
