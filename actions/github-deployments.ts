import { GitHubDeploymentsApi } from '../packages/adapters/github/deployments-api.ts';
import type { ActionIO } from '../packages/runtime/action-io.ts';

/**
 * GitHub's Deployments API for this run's repository, or undefined (saying what was missing) when the
 * token, the repository (GITHUB_REPOSITORY) or the commit (GITHUB_SHA) is not known: a deploy from a
 * laptop works without GitHub. The API root is GITHUB_API_URL (GitHub Enterprise), from the run context.
 */
export function githubDeployments(io: ActionIO, token: string, purpose: 'record' | 'read'): GitHubDeploymentsApi | undefined {
  const repository = io.context.repository ?? '';
  const needs = { 'github-token': token, GITHUB_REPOSITORY: repository, ...(purpose === 'record' ? { GITHUB_SHA: io.context.commit } : {}) };
  const missing = Object.entries(needs)
    .filter(([, value]) => !value)
    .map(([name]) => name);
  if (missing.length > 0) {
    const skipped = purpose === 'record' ? 'this run is not recorded there' : 'its history is not read';
    io.log.info(`GitHub Deployments: skipped, no ${missing.join(' and no ')}: ${skipped}`);
    return undefined;
  }
  io.setSecret(token);
  return new GitHubDeploymentsApi({ token, repository, ...(io.context.githubApiUrl ? { baseUrl: io.context.githubApiUrl } : {}) });
}
