import { errorMessage } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import type { GitHubDeploymentsApi } from './deployments-api.ts';
import { githubClient, githubError, type GitHubAccess } from './github-client.ts';

const CALL_TIMEOUT_MS = 15_000;

/**
 * Marks every deployment of a torn-down preview environment `inactive`, so GitHub shows it gone.
 * Like every GitHub record it never fails the action: a refusal warns. Returns how many it marked.
 */
export async function markPreviewInactive(
  api: Pick<GitHubDeploymentsApi, 'list' | 'statuses' | 'setStatus' | 'repository'>,
  environment: string,
  logger: Logger,
): Promise<number> {
  let marked = 0;
  try {
    for await (const deployment of api.list(environment)) {
      const [latest] = await api.statuses(deployment.id);
      if (latest?.state === 'inactive') continue;
      await api.setStatus(deployment.id, { state: 'inactive', description: `preview ${environment} torn down` });
      marked++;
    }
    logger.info(`GitHub Deployments: ${marked} deployment(s) of ${environment} in ${api.repository} marked inactive`);
  } catch (error) {
    logger.warning(`GitHub Deployments: the deployments of ${environment} could not be marked inactive: ${errorMessage(error)}`);
  }
  return marked;
}

/**
 * Comments on the pull request with the preview's link (needs `pull-requests: write`). Never fails
 * the action: a refusal warns.
 */
export async function commentPreviewLink(access: GitHubAccess, pullRequest: number, body: string, logger: Logger): Promise<void> {
  try {
    const { octokit, owner, repo } = githubClient(access);
    await (
      await octokit()
    ).request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
      owner,
      repo,
      issue_number: pullRequest,
      body,
      request: { signal: AbortSignal.timeout(CALL_TIMEOUT_MS) },
    });
    logger.info(`commented the preview link on pull request #${pullRequest} of ${access.repository}`);
  } catch (error) {
    const { status, message } = githubError(error);
    const hint = status === 403 || status === 404 ? '; give the job `permissions: pull-requests: write`' : '';
    logger.warning(`the preview link could not be commented on pull request #${pullRequest}: ${status ? `HTTP ${status}: ` : ''}${message}${hint}`);
  }
}
