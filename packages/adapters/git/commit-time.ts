import { runCommand } from '../process/run-command.ts';

/**
 * When a commit was made (its committer date), from the local clone: lead time without GitHub's API.
 * Undefined when git, the repository or the commit is not there (a shallow clone lacks old commits).
 */
export async function commitTimeFromGit(repository: string, sha: string): Promise<number | undefined> {
  if (!/^[0-9a-f]{7,64}$/i.test(sha)) return undefined;
  const result = await runCommand('git', ['-C', repository, 'show', '-s', '--format=%cI', `${sha}^{commit}`], { timeoutMs: 10_000 }).catch(() => undefined);
  if (!result || result.exitCode !== 0) return undefined;
  const time = Date.parse(result.stdout.trim());
  return Number.isNaN(time) ? undefined : time;
}
