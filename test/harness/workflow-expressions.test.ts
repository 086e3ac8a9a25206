import { describe, expect, it } from 'vitest';
import { condition, evaluate, interpolate } from './workflow-expressions.ts';

const context = { inputs: { app: 'shop', 'staging-url': '', operation: 'promote' }, github: { actor: 'octocat' }, steps: { deploy: { outcome: 'success' } } };

describe('workflow expressions (the subset our workflows use)', () => {
  it('reads paths with dashes, falls back with ||, picks with && ||', () => {
    expect(interpolate('app=${{ inputs.app }}', context)).toBe('app=shop');
    expect(evaluate('inputs.staging-url || github.actor', context)).toBe('octocat');
    expect(evaluate("(inputs.operation == 'promote' || inputs.operation == 'abort') && 'deploy-canary' || inputs.operation", context)).toBe('deploy-canary');
    expect(evaluate("inputs.operation == 'deploy' && inputs.app || ''", context)).toBe('');
  });

  it('runs an if: only after success unless it asks for failure()', () => {
    expect(condition("inputs.staging-url != ''", context, { failed: false })).toBe(false);
    expect(condition(undefined, context, { failed: true })).toBe(false);
    expect(condition("failure() && steps.deploy.outcome == 'success'", context, { failed: true })).toBe(true);
    expect(condition("failure() && steps.deploy.outcome == 'success'", context, { failed: false })).toBe(false);
  });

  it('refuses what it does not understand', () => {
    expect(() => evaluate("contains(inputs.app, 'sh')", context)).toThrow(/cannot read|unexpected/);
  });
});
