import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeGitHubApi } from '../../../test/support/fake-github-api.ts';
import { listCheckRuns } from './check-runs.ts';

const TOKEN = 'fake-token-for-tests';
const SHA = '0123456789abcdef0123456789abcdef01234567';
const api = new FakeGitHubApi(TOKEN, ['acme/shop']);
let baseUrl: string;

beforeAll(async () => {
  baseUrl = await api.start();
  api.addCheckRun('acme/shop', SHA, { name: 'build', status: 'completed', conclusion: 'failure' });
  api.addCheckRun('acme/shop', SHA, { name: 'build', status: 'completed', conclusion: 'success' });
  api.addCheckRun('acme/shop', SHA, { name: 'lint', status: 'in_progress' });
  // More than one page of 100, so paging is exercised.
  for (let i = 0; i < 120; i++) api.addCheckRun('acme/shop', SHA, { name: `matrix (${i}, node 24)`, status: 'completed', conclusion: 'success' });
});
afterAll(() => api.stop());

describe('check runs through the real Octokit (against a fake of the REST API)', () => {
  it('lists the latest run of each name over every page, newest first', async () => {
    const runs = await listCheckRuns({ token: TOKEN, repository: 'acme/shop', ref: SHA, baseUrl });
    expect(runs).toHaveLength(122);
    expect(runs.find((r) => r.name === 'build')).toMatchObject({ status: 'completed', conclusion: 'success' });
    expect(runs.at(-1)).toMatchObject({ name: 'build' });
    expect(runs.find((r) => r.name === 'lint')).toEqual({
      name: 'lint',
      status: 'in_progress',
      conclusion: null,
      detailsUrl: expect.stringMatching(/^https:\/\/github.com\/acme\/shop\/actions\/runs\/1\/job\/\d+$/),
    });
    expect(api.requests.filter((r) => r.startsWith(`GET /repos/acme/shop/commits/${SHA}/check-runs`))).toHaveLength(2);
  });

  it.each([
    [{ token: 'wrong' }, `GitHub refused the token reading check runs of acme/shop@${SHA} (Bad credentials); pass a valid github-token`],
    [{ repository: 'acme/other' }, 'repository acme/other was not found, or the token cannot see it (Not Found)'],
    [{ ref: 'feedface' }, 'commit feedface was not found in acme/shop (No commit found for SHA: feedface)'],
    [{ repository: 'acme' }, 'GITHUB_REPOSITORY: "acme" is not valid; use owner/repo'],
  ])('explains a refusal: %j', async (change, message) => {
    await expect(listCheckRuns({ token: TOKEN, repository: 'acme/shop', ref: SHA, baseUrl, ...change })).rejects.toThrow(message);
  });
});
