// Writes workflows-templates/: GitHub starter workflows (each .yml with its .properties.json) rendered
// by the same code as `sidhe-devops init`, with placeholders for the repository's answers.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { operationsWorkflow, pipelineWorkflow, previewWorkflow, type CallerAnswers } from '../actions/init/caller-workflows.ts';

const root = path.resolve(import.meta.dirname, '..');
export const TEMPLATES_DIR = 'workflows-templates';

const PLACEHOLDERS: CallerAnswers = {
  app: 'my-app',
  registry: 'ghcr.io',
  environments: ['staging', 'production'],
  strategy: 'blue-green',
  branch: '$default-branch',
};

const ICON = `<svg xmlns="http://www.w3.org/2000/svg" width="48" height="48" viewBox="0 0 48 48"><rect width="48" height="48" rx="8" fill="#0969da"/><path d="M14 30l10-16 10 16h-6v6h-8v-6z" fill="#fff"/></svg>\n`;

interface Template {
  name: string;
  description: string;
  yaml: string;
}

const TEMPLATES: Record<string, Template> = {
  'sidhe-blue-green': {
    name: 'Container service with blue-green (SIDHE DevOps)',
    description: 'Quality gate, image build and scan, staging, then a blue-green switch in production behind HAProxy or nginx, rolled back when unhealthy.',
    yaml: pipelineWorkflow(PLACEHOLDERS),
  },
  'sidhe-canary': {
    name: 'Container service with canary (SIDHE DevOps)',
    description: 'Quality gate, image build and scan, staging, then a canary in production judged against stable at every step and aborted at once when worse.',
    yaml: pipelineWorkflow({ ...PLACEHOLDERS, strategy: 'canary' }),
  },
  'sidhe-previews': {
    name: 'Pull-request previews (SIDHE DevOps)',
    description: 'Every pull request deployed as its own preview environment, linked on the pull request and torn down when it closes.',
    yaml: previewWorkflow(PLACEHOLDERS),
  },
  'sidhe-operations': {
    name: 'Manual operations (SIDHE DevOps)',
    description: 'Deploy, promote, abort, roll back or tear down from the Actions tab, one environment at a time.',
    yaml: operationsWorkflow(PLACEHOLDERS),
  },
};

/** Path under workflows-templates/ → text. */
export function templateFiles(): Map<string, string> {
  const files = new Map<string, string>([['icons/sidhe-devops.svg', ICON]]);
  for (const [id, t] of Object.entries(TEMPLATES)) {
    files.set(`${id}.yml`, t.yaml);
    const properties = {
      name: t.name,
      description: t.description,
      iconName: 'sidhe-devops',
      categories: ['Deployment', 'Containers'],
      filePatterns: ['Dockerfile$', '^\\.sidhe/devops\\.ya?ml$'],
    };
    files.set(`properties/${id}.properties.json`, `${JSON.stringify(properties, null, 2)}\n`);
  }
  return files;
}

if (import.meta.main) {
  for (const [file, text] of templateFiles()) {
    const target = path.join(root, TEMPLATES_DIR, file);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, text);
  }
}
