import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../packages/core/config/parse-config.ts';
import { environmentStrategy } from '../../packages/core/config/environment-strategy.ts';
import { ConfigurationError } from '../../packages/core/errors.ts';
import { checkAnswers, configText, conflictError, initFiles, planInit } from './init-plan.ts';

const ANSWERS = { app: 'shop', registry: 'registry.internal:5000', environments: 'staging, production', strategy: 'canary' };

describe('init answers', () => {
  it('accepts flags as a user types them', () => {
    expect(checkAnswers(ANSWERS)).toEqual({
      app: 'shop',
      registry: 'registry.internal:5000',
      environments: ['staging', 'production'],
      strategy: 'canary',
      branch: 'main',
    });
  });

  it.each([
    [{ app: 'my shop' }, /--app: "my shop" is not valid/],
    [{ registry: 'https://ghcr.io' }, /--registry: .*registry host/],
    [{ environments: 'production' }, /--environments: "production" is not valid; name two environments/],
    [{ environments: 'prod,prod' }, /name two environments/],
    [{ environments: 'staging,pro duction' }, /--environments: "pro duction"/],
    [{ strategy: 'rolling' }, /--strategy: "rolling" is not valid; use blue-green or canary/],
  ])('refuses %o naming the flag', (change, message) => {
    expect(() => checkAnswers({ ...ANSWERS, ...change })).toThrow(ConfigurationError);
    expect(() => checkAnswers({ ...ANSWERS, ...change })).toThrow(message);
  });
});

describe('init files', () => {
  it('writes a configuration our schema accepts, with the chosen strategy in production', () => {
    const config = parseConfig(configText(checkAnswers(ANSWERS)), '.sidhe/devops.yaml');
    expect(config.devops_automator.docker.registry).toBe('registry.internal:5000');
    expect(environmentStrategy(config, 'production').strategy).toBe('canary');
    expect(environmentStrategy(config, 'staging').strategy).toBe('blue_green');
  });

  it('writes the configuration and three caller workflows', () => {
    expect([...initFiles(checkAnswers(ANSWERS)).keys()]).toEqual([
      '.sidhe/devops.yaml',
      '.github/workflows/sidhe-deploy.yml',
      '.github/workflows/sidhe-preview.yml',
      '.github/workflows/sidhe-operations.yml',
    ]);
  });
});

describe('planInit', () => {
  const files = new Map([
    ['a.yml', 'a\n'],
    ['b.yml', 'b\n'],
  ]);

  it('creates what is missing and leaves what is the same', () => {
    const plan = planInit(files, (p) => (p === 'b.yml' ? 'b\n' : undefined), false);
    expect(plan.map((f) => [f.path, f.action])).toEqual([
      ['a.yml', 'create'],
      ['b.yml', 'unchanged'],
    ]);
    expect(conflictError(plan)).toBeUndefined();
  });

  it('never overwrites a different file without force', () => {
    const plan = planInit(files, () => 'edited\n', false);
    expect(plan.every((f) => f.action === 'conflict')).toBe(true);
    expect(conflictError(plan)?.message).toBe('a.yml, b.yml already exist with other content; nothing was written. Run again with --force to overwrite.');
    expect(planInit(files, () => 'edited\n', true).map((f) => f.action)).toEqual(['overwrite', 'overwrite']);
  });
});
