import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { templateFiles } from '../../scripts/generate-templates.ts';
import { findCommand } from '../registry.ts';
import { loadCatalog } from './action-catalog.ts';
import { checkConfigText, checkWorkflowText, type Catalog } from './init-check.ts';
import { checkAnswers, initFiles } from './init-plan.ts';

const root = path.resolve(import.meta.dirname, '../..');
const catalog = loadCatalog(root);

/** Every workflow this repository ships or writes: reusable ones, starter templates, init's output. */
function everyWorkflow(): Map<string, string> {
  const files = new Map<string, string>();
  for (const name of readdirSync(path.join(root, '.github/workflows'))) {
    files.set(`.github/workflows/${name}`, readFileSync(path.join(root, '.github/workflows', name), 'utf8'));
  }
  for (const [name, text] of templateFiles()) if (name.endsWith('.yml')) files.set(`workflows-templates/${name}`, text);
  for (const strategy of ['blue-green', 'canary']) {
    const answers = checkAnswers({ app: 'shop', registry: 'ghcr.io', environments: 'staging,production', strategy });
    for (const [name, text] of initFiles(answers)) if (name.endsWith('.yml')) files.set(`init(${strategy}):${name}`, text);
  }
  return files;
}

const small: Catalog = new Map([
  [
    'sidhe/devops/rollback',
    {
      inputs: new Map([
        ['app', { required: true }],
        ['to', { required: false }],
      ]),
    },
  ],
  ['sidhe/devops/.github/workflows/deploy.yml', { inputs: new Map([['app', { required: true }]]), secrets: new Set(['SSH_KEY']) }],
]);

describe('init --check on workflows', () => {
  it('names an input that no longer exists, a required one missing, and where', () => {
    const text = 'jobs:\n  ops:\n    steps:\n      - uses: sidhe/devops/rollback@v1\n        with:\n          too: previous\n';
    expect(checkWorkflowText(text, 'w.yml', small)).toEqual([
      'w.yml:6:11: sidhe/devops/rollback has no input too',
      'w.yml:4:15: sidhe/devops/rollback needs input app, which is not given',
    ]);
  });

  it('checks a reusable workflow call, its secrets, and actions that are gone', () => {
    const text = [
      'jobs:',
      '  call:',
      '    uses: sidhe/devops/.github/workflows/deploy.yml@v1',
      '    with: { app: shop }',
      '    secrets: { SSH_KEY: x, TOKEN: y }',
      '  old:',
      '    steps:',
      '      - uses: sidhe/devops/deploy-rolling@v1',
      '      - uses: actions/checkout@v5',
    ].join('\n');
    const problems = checkWorkflowText(text, 'w.yml', small);
    expect(problems[0]).toBe('w.yml:5:28: sidhe/devops/.github/workflows/deploy.yml takes no secret TOKEN');
    expect(problems[1]).toMatch(/^w\.yml:8:15: sidhe\/devops\/deploy-rolling does not exist in this version; it has sidhe\/devops\/rollback/);
    expect(problems).toHaveLength(2);
  });
});

describe('init --check on the configuration', () => {
  it('reports unknown keys with their place', () => {
    const problems = checkConfigText('devops_automator:\n  dockerr:\n    registry: ghcr.io\n', '.sidhe/devops.yaml');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^\.sidhe\/devops\.yaml:2:3: .*dockerr/);
    expect(checkConfigText('', '.sidhe/devops.yaml')).toEqual([]);
  });
});

describe('every workflow and template fits our actions', () => {
  const workflows = everyWorkflow();

  it('finds the reusable workflows, the templates and init output', () => {
    expect(catalog.has('sidhe/devops/.github/workflows/pipeline.yml')).toBe(true);
    expect([...workflows.keys()].filter((k) => k.startsWith('workflows-templates/'))).toHaveLength(4);
    expect(workflows.size).toBeGreaterThanOrEqual(13);
  });

  it.each([...workflows.keys()])('%s: each with: key is an input and each required input is given', (name) => {
    expect(checkWorkflowText(workflows.get(name)!, name, catalog)).toEqual([]);
  });

  // The root action.yml lists the union of every command's inputs; a literal command must get only its own.
  it.each([...workflows.keys()])('%s: a literal root-action command gets only its inputs', (name) => {
    const jobs = Object.values((parse(workflows.get(name)!) as { jobs: Record<string, { steps?: { uses?: string; with?: Record<string, string> }[] }> }).jobs);
    for (const step of jobs.flatMap((j) => j.steps ?? []).filter((s) => s.uses?.startsWith('sidhe/devops@'))) {
      const { command, ...rest } = step.with ?? {};
      if (command === undefined || command.includes('${{')) continue;
      const inputs = findCommand(command)?.definition.inputs;
      expect(inputs, command).toBeDefined();
      expect(Object.keys(rest).filter((key) => !(key in inputs!))).toEqual([]);
    }
  });
});
