import type { FakeGitHubApi, FakeRequest, FakeResponse } from './fake-github-api.ts';

/** An issue comment as POST /repos/{owner}/{repo}/issues/{issue_number}/comments answers (the documented fields). */
export interface FakeIssueComment {
  id: number;
  node_id: string;
  url: string;
  html_url: string;
  issue_url: string;
  body: string;
  user: { login: string; id: number; type: string };
  author_association: string;
  created_at: string;
  updated_at: string;
}

/**
 * A FAKE of the one endpoint previews use to comment on a pull request (a pull request is an issue to
 * this API): POST /repos/{owner}/{repo}/issues/{issue_number}/comments → 201 with the comment.
 */
export class FakeIssueComments {
  /** Comments by `owner/repo#number`, oldest first. */
  readonly comments = new Map<string, FakeIssueComment[]>();
  #nextId = 9000;

  constructor(api: FakeGitHubApi) {
    api.route('POST', '/repos/{owner}/{repo}/issues/{issue_number}/comments', (req) => this.#create(api, req));
  }

  on(repository: string, issue: number): string[] {
    return (this.comments.get(`${repository}#${issue}`) ?? []).map((c) => c.body);
  }

  #create(api: FakeGitHubApi, req: FakeRequest): FakeResponse {
    const { owner, repo, issue_number: issue } = req.params;
    const body = (req.body ?? {}) as { body?: unknown };
    if (typeof body.body !== 'string' || body.body === '') {
      return {
        status: 422,
        body: { message: 'Invalid request.\n\n"body" wasn\'t supplied.', documentation_url: 'https://docs.github.com/rest/issues/comments', status: '422' },
      };
    }
    const id = this.#nextId++;
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const base = `${api.url}/repos/${owner}/${repo}`;
    const comment: FakeIssueComment = {
      id,
      node_id: `IC_fake${id}`,
      url: `${base}/issues/comments/${id}`,
      html_url: `https://github.com/${owner}/${repo}/pull/${issue}#issuecomment-${id}`,
      issue_url: `${base}/issues/${issue}`,
      body: body.body,
      user: { login: 'github-actions[bot]', id: 41898282, type: 'Bot' },
      author_association: 'NONE',
      created_at: now,
      updated_at: now,
    };
    const key = `${owner}/${repo}#${issue}`;
    this.comments.set(key, [...(this.comments.get(key) ?? []), comment]);
    return { status: 201, body: comment };
  }
}
