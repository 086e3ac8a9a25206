const HEADS = 'refs/heads/';

/**
 * Why this run must not deploy, or undefined: a `push` to a branch that ci_cd.auto_deploy_branches does
 * not list. Any other event (a manual run, a tag, a pull request's preview) is a deliberate deploy.
 */
export function pushThatDoesNotDeploy(autoDeployBranches: readonly string[], event: string | undefined, ref: string | undefined): string | undefined {
  if (event !== 'push' || !ref?.startsWith(HEADS)) return undefined;
  const branch = ref.slice(HEADS.length);
  if (autoDeployBranches.includes(branch)) return undefined;
  const listed = autoDeployBranches.length ? autoDeployBranches.join(', ') : 'no branch';
  return `a push to ${branch} does not deploy: devops_automator.ci_cd.auto_deploy_branches lists ${listed}`;
}
