import type { getOctokit } from '@actions/github';
import { ConfigurationError, errorMessage } from '../../core/errors.ts';
import { outboundFetch } from '../http/outbound-http.ts';

/** What reaching one repository through GitHub's REST API takes. */
export interface GitHubAccess {
  token: string;
  /** `owner/repo`, as GITHUB_REPOSITORY has it. */
  repository: string;
  /** The API's root; default GITHUB_API_URL, then https://api.github.com (as @actions/github does). */
  baseUrl?: string;
}

export type Octokit = ReturnType<typeof getOctokit>;

export interface GitHubClient {
  /** Created on the first call: Octokit loads only in a run that calls GitHub. */
  octokit(): Promise<Octokit>;
  owner: string;
  repo: string;
}

/**
 * The real Octokit of @actions/github, loaded on demand, sending through the outbound client: the
 * proxy variables as @actions/github would apply them, plus retries of idempotent calls.
 */
export async function createOctokit(token: string, baseUrl?: string): Promise<Octokit> {
  const { getOctokit } = await import('@actions/github');
  return getOctokit(token, { ...(baseUrl ? { baseUrl } : {}), request: { fetch: outboundFetch } });
}

/** The real Octokit of @actions/github for the repository; a malformed repository is a ConfigurationError. */
export function githubClient(access: GitHubAccess): GitHubClient {
  const [owner, repo, ...rest] = access.repository.split('/');
  if (!owner || !repo || rest.length > 0) {
    throw new ConfigurationError(`GITHUB_REPOSITORY: ${JSON.stringify(access.repository)} is not valid; use owner/repo`);
  }
  let octokit: Promise<Octokit> | undefined;
  return { octokit: () => (octokit ??= createOctokit(access.token, access.baseUrl)), owner, repo };
}

/** The HTTP status of a failed call (undefined for a network error) and GitHub's own message. */
export function githubError(error: unknown): { status: number | undefined; message: string } {
  const status = (error as { status?: number }).status;
  const message = (error as { response?: { data?: { message?: string } } }).response?.data?.message ?? errorMessage(error);
  return { status, message };
}
