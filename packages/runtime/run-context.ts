import os from 'node:os';
import type { RunContext } from './action-io.ts';

/** Reads the runner's environment variables once, in this one place (GitHub sets them; a terminal usually has none). */
export function runContextFrom(env: NodeJS.ProcessEnv): RunContext {
  const { GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_RUN_ID, GITHUB_RUN_ATTEMPT } = env;
  const runner =
    GITHUB_REPOSITORY && GITHUB_RUN_ID
      ? `${GITHUB_REPOSITORY} run ${GITHUB_RUN_ID} attempt ${GITHUB_RUN_ATTEMPT ?? '1'}`
      : `${os.userInfo().username}@${os.hostname()} pid ${process.pid}`;
  return {
    runner,
    ...(GITHUB_REPOSITORY ? { repository: GITHUB_REPOSITORY } : {}),
    ...(GITHUB_RUN_ID ? { runId: GITHUB_RUN_ID } : {}),
    ...(env.GITHUB_SHA ? { commit: env.GITHUB_SHA } : {}),
    ...(env.GITHUB_ACTOR ? { actor: env.GITHUB_ACTOR } : {}),
    ...(env.GITHUB_EVENT_NAME ? { event: env.GITHUB_EVENT_NAME } : {}),
    ...(env.GITHUB_REF ? { ref: env.GITHUB_REF } : {}),
    ...(env.GITHUB_API_URL ? { githubApiUrl: env.GITHUB_API_URL } : {}),
    ...(env.GITHUB_STEP_SUMMARY ? { stepSummary: true } : {}),
    workspace: env.GITHUB_WORKSPACE || process.cwd(),
    tempDir: env.RUNNER_TEMP || os.tmpdir(),
    runUrl: GITHUB_SERVER_URL && GITHUB_REPOSITORY && GITHUB_RUN_ID ? `${GITHUB_SERVER_URL}/${GITHUB_REPOSITORY}/actions/runs/${GITHUB_RUN_ID}` : undefined,
  };
}
