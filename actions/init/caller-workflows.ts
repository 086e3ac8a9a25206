// The caller workflows a repository needs: `sidhe-devops init` writes them with the repository's answers,
// and the starter templates in workflows-templates/ are the same text with placeholders, so the two
// cannot drift apart (scripts/generate-templates.ts, checked by its test).

export type InitStrategy = 'blue-green' | 'canary';

export interface CallerAnswers {
  app: string;
  registry: string;
  /** Deployed in order by the pipeline: [staging, production]. */
  environments: readonly [string, string];
  strategy: InitStrategy;
  /** The branch whose pushes deploy: `main`, or `$default-branch` in a starter template. */
  branch: string;
}

const REF = 'sidhe/devops/.github/workflows';
const ROUTER_ENDPOINT = 'unix:///run/haproxy/admin.sock';
const PREVIEW_ENDPOINT = 'file:///etc/nginx/sidhe-previews/?conf=/etc/nginx/nginx.conf';

function imageOf(a: CallerAnswers): string {
  return `${a.registry}/\${{ github.repository_owner }}/${a.app}`;
}

export function pipelineWorkflow(a: CallerAnswers): string {
  const [staging, production] = a.environments;
  const title = a.strategy === 'canary' ? 'canary' : 'blue-green';
  return `# SIDHE DevOps: quality gate, image, ${staging}, then ${production} with a ${title} deploy behind the
# ${production} environment's reviewers. Set REGISTRY_PASSWORD (when not ghcr.io), SSH_KEY and KNOWN_HOSTS
# (with remote hosts) as repository secrets.
name: Deploy ${a.app}

on:
  push:
    branches: [${a.branch}]
  workflow_dispatch:

jobs:
  pipeline:
    permissions:
      contents: read
      checks: read
      packages: write
      deployments: write
    uses: ${REF}/pipeline.yml@v1
    with:
      app: ${a.app}
      image: ${imageOf(a)}
      registry: ${a.registry}
      staging-environment: ${staging}
      production-environment: ${production}
      production-strategy: ${a.strategy}
      router: haproxy
      router-endpoint: ${ROUTER_ENDPOINT}
    secrets:
      REGISTRY_PASSWORD: \${{ secrets.REGISTRY_PASSWORD }}
      SSH_KEY: \${{ secrets.SSH_KEY }}
      KNOWN_HOSTS: \${{ secrets.KNOWN_HOSTS }}
`;
}

export function previewWorkflow(a: CallerAnswers): string {
  return `# SIDHE DevOps: every pull request gets its own preview environment pr-<number>, linked on the pull
# request, torn down when it closes.
name: Preview ${a.app}

on:
  pull_request:
    types: [opened, synchronize, reopened, closed]

jobs:
  preview:
    permissions:
      contents: read
      packages: write
      deployments: write
      pull-requests: write
    uses: ${REF}/preview.yml@v1
    with:
      app: ${a.app}
      image: ${imageOf(a)}
      registry: ${a.registry}
      preview-router-endpoint: ${PREVIEW_ENDPOINT}
    secrets:
      REGISTRY_PASSWORD: \${{ secrets.REGISTRY_PASSWORD }}
`;
}

export function operationsWorkflow(a: CallerAnswers): string {
  return `# SIDHE DevOps: deploy a release, promote or abort a paused canary, roll back, or tear a preview down,
# by hand from the Actions tab.
name: Operate ${a.app}

on:
  workflow_dispatch:
    inputs:
      operation:
        description: What to do.
        type: choice
        options: [deploy, promote, abort, rollback, teardown]
      environment:
        description: "${a.environments.join(', ')}, or pr-<number> for a preview."
        type: string
        default: ${a.environments[1]}
      release:
        description: "deploy: the image reference; rollback: a release id, an image, or previous."
        type: string
        default: ""
      reason:
        description: Why, for the log and the deployment record.
        type: string
        default: manual operation

jobs:
  operate:
    permissions:
      contents: read
      deployments: write
    uses: ${REF}/deploy.yml@v1
    with:
      operation: \${{ inputs.operation }}
      app: ${a.app}
      environment: \${{ inputs.environment }}
      release: \${{ inputs.release }}
      reason: \${{ inputs.reason }}
      router: haproxy
      router-endpoint: ${ROUTER_ENDPOINT}
      preview-router-endpoint: ${PREVIEW_ENDPOINT}
    secrets:
      SSH_KEY: \${{ secrets.SSH_KEY }}
      KNOWN_HOSTS: \${{ secrets.KNOWN_HOSTS }}
`;
}

/** Path (from the repository root) → text of every caller workflow init writes. */
export function callerWorkflows(a: CallerAnswers): Map<string, string> {
  return new Map([
    ['.github/workflows/sidhe-deploy.yml', pipelineWorkflow(a)],
    ['.github/workflows/sidhe-preview.yml', previewWorkflow(a)],
    ['.github/workflows/sidhe-operations.yml', operationsWorkflow(a)],
  ]);
}
