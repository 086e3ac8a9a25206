import { describe, expect, it } from 'vitest';
import { chooseStrategy, parseStrategy } from './choose-strategy.ts';
import { parseConfig } from './parse-config.ts';

const PATH = '.sidhe/devops.yaml';
const config = (yaml: string) => parseConfig(yaml, PATH);

describe('chooseStrategy', () => {
  const listed = config(`
devops_automator:
  deployment:
    default_strategy: canary
deployment_strategies:
  staging:
    strategy: direct
  production: {}
`);

  it("takes the environment's own strategy and says where it came from", () => {
    expect(chooseStrategy(listed, 'staging', '', PATH)).toEqual({
      strategy: 'direct',
      reason: 'from deployment_strategies.staging.strategy in .sidhe/devops.yaml',
    });
  });

  it('falls back to the default strategy for a listed environment without one', () => {
    expect(chooseStrategy(listed, 'production', '', PATH)).toEqual({
      strategy: 'canary',
      reason: 'from devops_automator.deployment.default_strategy in .sidhe/devops.yaml (blue_green when not set)',
    });
  });

  it('lets the strategy input override, in either spelling', () => {
    expect(chooseStrategy(listed, 'staging', 'blue-green', PATH)).toEqual({ strategy: 'blue_green', reason: 'from the strategy input' });
    expect(chooseStrategy(listed, 'staging', 'deploy-canary', PATH).strategy).toBe('canary');
  });

  it('refuses an environment the configuration does not list, naming those it does', () => {
    expect(() => chooseStrategy(listed, 'stagin', '', PATH)).toThrow(
      'input environment is "stagin", which deployment_strategies in .sidhe/devops.yaml does not list; it lists: staging, production',
    );
    expect(chooseStrategy(listed, 'pr-12', '', PATH, { preview: true }).strategy).toBe('canary');
  });

  it('takes any environment when the configuration lists none', () => {
    expect(chooseStrategy(config('{}'), 'anywhere', '', PATH).strategy).toBe('blue_green');
  });
});

describe('parseStrategy', () => {
  it('names every allowed spelling for a misspelt one', () => {
    expect(() => parseStrategy('bluegreen')).toThrow(
      'input strategy is "bluegreen": use one of direct, deploy-direct, blue_green, blue-green, deploy-blue-green, canary, deploy-canary',
    );
    expect(parseStrategy('')).toBeUndefined();
  });
});
