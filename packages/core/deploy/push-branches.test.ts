import { describe, expect, it } from 'vitest';
import { pushThatDoesNotDeploy } from './push-branches.ts';

describe('pushThatDoesNotDeploy', () => {
  it('stops a push to a branch not listed, naming the branch and the list', () => {
    expect(pushThatDoesNotDeploy(['main', 'staging'], 'push', 'refs/heads/feature/x')).toBe(
      'a push to feature/x does not deploy: devops_automator.ci_cd.auto_deploy_branches lists main, staging',
    );
    expect(pushThatDoesNotDeploy([], 'push', 'refs/heads/main')).toMatch(/lists no branch$/);
  });

  it('lets a push to a listed branch deploy', () => {
    expect(pushThatDoesNotDeploy(['main', 'staging'], 'push', 'refs/heads/staging')).toBeUndefined();
  });

  it('lets other events and tags deploy: they are deliberate', () => {
    expect(pushThatDoesNotDeploy(['main'], 'workflow_dispatch', 'refs/heads/feature')).toBeUndefined();
    expect(pushThatDoesNotDeploy(['main'], 'push', 'refs/tags/v1.2.0')).toBeUndefined();
    expect(pushThatDoesNotDeploy(['main'], undefined, undefined)).toBeUndefined();
  });
});
