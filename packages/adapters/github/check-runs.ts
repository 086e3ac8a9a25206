import { ActionFailure, ConfigurationError } from '../../core/errors.ts';
import type { CheckRunView } from '../../core/gates/index.ts';
import { githubClient, githubError, type GitHubAccess } from './github-client.ts';

export interface CheckRunsQuery extends GitHubAccess {
  /** A commit SHA, branch or tag. */
  ref: string;
}

/** What GitHub's error statuses mean for this call, in words the user can act on. */
function explain(status: number | undefined, query: CheckRunsQuery, message: string): string {
  const where = `${query.repository}@${query.ref}`;
  switch (status) {
    case 401:
      return `GitHub refused the token reading check runs of ${where} (${message}); pass a valid github-token`;
    case 403:
      return `the token may not read check runs of ${where} (${message}); give the job \`permissions: checks: read\``;
    case 404:
      return `repository ${query.repository} was not found, or the token cannot see it (${message})`;
    case 422:
      return `commit ${query.ref} was not found in ${query.repository} (${message})`;
    default:
      return `reading check runs of ${where} failed: ${message}`;
  }
}

/**
 * Every check run on a commit (GET /repos/{owner}/{repo}/commits/{ref}/check-runs, all pages, the
 * latest run of each name), newest first.
 */
export async function listCheckRuns(query: CheckRunsQuery): Promise<CheckRunView[]> {
  const client = githubClient(query);
  const { owner, repo } = client;
  try {
    const octokit = await client.octokit();
    const runs = await octokit.paginate('GET /repos/{owner}/{repo}/commits/{ref}/check-runs', { owner, repo, ref: query.ref, filter: 'latest', per_page: 100 });
    return runs
      .sort((a, b) => b.id - a.id)
      .map((run) => ({
        name: run.name,
        status: run.status,
        conclusion: run.conclusion,
        ...(run.details_url ? { detailsUrl: run.details_url } : {}),
      }));
  } catch (error) {
    const { status, message } = githubError(error);
    // A refusal (4xx) is the user's to fix; an outage or a network error is not.
    throw status !== undefined && status < 500 ? new ConfigurationError(explain(status, query, message)) : new ActionFailure(explain(status, query, message));
  }
}
