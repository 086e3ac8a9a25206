import type { Octokit as OctokitCore } from '@octokit/core';
import type { PaginateInterface } from '@octokit/plugin-paginate-rest';
import { ConfigurationError, errorMessage } from '../../core/errors.ts';
import { outboundFetch } from '../http/outbound-http.ts';

/** What reaching one repository through GitHub's REST API takes. */
export interface GitHubAccess {
  token: string;
  /** `owner/repo`, as GITHUB_REPOSITORY has it. */
  repository: string;
  /** The API's root (the run context's githubApiUrl); default https://api.github.com. */
  baseUrl?: string;
}

/** Octokit's core (`request`, hooks) with pagination: calls name their route, `POST /repos/{owner}/{repo}/deployments`. */
export type Octokit = OctokitCore & { paginate: PaginateInterface };

export interface GitHubClient {
  /** Created on the first call: Octokit loads only in a run that calls GitHub. */
  octokit(): Promise<Octokit>;
  owner: string;
  repo: string;
}

/**
 * Octokit, loaded on demand, sending through the outbound client (the proxy variables as
 * @actions/http-client applies them, retries of idempotent calls). Its core and the pagination
 * plugin only: @actions/github's Octokit adds a method for each of GitHub's ~1000 endpoints (a
 * 100 kB table) and a second proxy stack, where the suite calls eleven routes by name.
 */
export async function createOctokit(token: string, baseUrl = 'https://api.github.com'): Promise<Octokit> {
  const [{ Octokit }, { paginateRest }] = await Promise.all([import('@octokit/core'), import('@octokit/plugin-paginate-rest')]);
  const GitHub = Octokit.plugin(paginateRest);
  return new GitHub({ auth: `token ${token}`, baseUrl, request: { fetch: outboundFetch } });
}

/** Octokit for the repository; a malformed repository is a ConfigurationError. */
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
