// Runs a reusable workflow of .github/workflows/ the way the runner would, job after job in `needs`
// order, each of our action steps through runBundle (the committed bundles), with `with:` and `if:`
// evaluated. Checkout steps are skipped (the workspace is the checkout) and `run:` steps refused
// unless their `if:` is false, so a test runs exactly the steps the workflow wires.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { runBundle, type BundleOptions, type BundleRun } from './run-bundle.ts';
import { condition, interpolate, type Context } from './workflow-expressions.ts';

const repo = path.resolve(import.meta.dirname, '../..');

interface Step {
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, string | number | boolean>;
}
interface Job {
  needs?: string | string[];
  if?: string;
  outputs?: Record<string, string>;
  steps: Step[];
}

export interface StepRun {
  job: string;
  uses: string;
  inputs: Record<string, string>;
  run: BundleRun;
}

export interface WorkflowRun {
  /** Job id → success, failure or skipped. */
  jobs: Record<string, 'success' | 'failure' | 'skipped'>;
  steps: StepRun[];
}

export interface WorkflowCall {
  inputs: Record<string, string>;
  secrets?: Record<string, string>;
  github?: Record<string, unknown>;
}

function ordered(jobs: Record<string, Job>): string[] {
  const done: string[] = [];
  const visit = (id: string): void => {
    if (done.includes(id)) return;
    for (const need of [jobs[id]!.needs ?? []].flat()) visit(need);
    done.push(id);
  };
  Object.keys(jobs).forEach(visit);
  return done;
}

export async function runWorkflow(file: string, call: WorkflowCall, options: BundleOptions): Promise<WorkflowRun> {
  const workflow = parse(readFileSync(path.join(repo, '.github/workflows', file), 'utf8')) as {
    on: { workflow_call: { inputs: Record<string, { default?: string }> } };
    jobs: Record<string, Job>;
  };
  const defaults = Object.fromEntries(Object.entries(workflow.on.workflow_call.inputs).map(([k, v]) => [k, v.default ?? '']));
  const inputs = { ...defaults, ...call.inputs };
  const needs: Record<string, { result: string; outputs: Record<string, string> }> = {};
  const result: WorkflowRun = { jobs: {}, steps: [] };

  for (const id of ordered(workflow.jobs)) {
    const job = workflow.jobs[id]!;
    const upstream = [job.needs ?? []].flat();
    const base: Context = { inputs, secrets: call.secrets ?? {}, github: { token: '', actor: '', ...call.github }, needs };
    if (upstream.some((n) => needs[n]!.result !== 'success') || (job.if !== undefined && !condition(job.if, base, { failed: false }))) {
      needs[id] = { result: 'skipped', outputs: {} };
      result.jobs[id] = 'skipped';
      continue;
    }
    const steps: Record<string, { outcome: string; outputs: Record<string, string> }> = {};
    const status = { failed: false };
    for (const step of job.steps) {
      const context = { ...base, steps };
      if (!condition(step.if, context, status)) continue;
      if (step.run !== undefined) throw new Error(`${file} job ${id}: a run: step would run; this harness runs action steps only`);
      if (step.uses?.startsWith('actions/checkout@')) continue;
      const match = /^sidhe\/devops(?:\/([a-z-]+))?@v1$/.exec(step.uses ?? '');
      if (!match) throw new Error(`${file} job ${id}: unknown step ${step.uses}`);
      const given = Object.entries(step.with ?? {}).map(([k, v]) => [k, interpolate(String(v), context, status)] as const);
      const stepInputs = Object.fromEntries(given.filter(([, v]) => v !== ''));
      const run = await runBundle(match[1] ?? '', stepInputs, options);
      result.steps.push({ job: id, uses: step.uses!, inputs: stepInputs, run });
      if (run.exitCode !== 0) status.failed = true;
      if (step.id) steps[step.id] = { outcome: run.exitCode === 0 ? 'success' : 'failure', outputs: run.outputs };
    }
    const outputs = Object.fromEntries(Object.entries(job.outputs ?? {}).map(([k, v]) => [k, interpolate(v, { ...base, steps })]));
    needs[id] = { result: status.failed ? 'failure' : 'success', outputs };
    result.jobs[id] = status.failed ? 'failure' : 'success';
  }
  return result;
}
