import { describe, expect, it } from 'vitest';
import { DEFAULT_ENVIRONMENT_ENTRY, environmentStrategy } from './environment-strategy.ts';
import { parseConfig } from './parse-config.ts';
import { environmentDeployment } from './schema.ts';

const config = parseConfig(
  `devops_automator: { deployment: { default_strategy: canary, hosts: ['ssh://deploy@web1'] } }
deployment_strategies:
  production: { strategy: blue_green, quality_gates: [security_scan], hosts: ['ssh://deploy@web2', 'ssh://deploy@web3:2222'] }
  staging: { quality_gates: [basic_tests] }
`,
  'test.yaml',
);

describe('environmentStrategy', () => {
  it('fills an environment the file does not list with the defaults the schema gives an empty entry', () => {
    expect(DEFAULT_ENVIRONMENT_ENTRY).toEqual(environmentDeployment.parse({}));
  });

  it("gives an environment's own settings with its image lifecycle", () => {
    expect(environmentStrategy(config, 'production')).toEqual({
      environment: 'production',
      strategy: 'blue_green',
      hosts: ['ssh://deploy@web2', 'ssh://deploy@web3:2222'],
      quality_gates: ['security_scan'],
      rollback_criteria: ['health_check_failure'],
      lifecycle: { retention_days: 90, cleanup_policy: { keep_latest: 3 }, security_scanning: 'required' },
    });
  });

  it('falls back to the default strategy', () => {
    expect(environmentStrategy(config, 'staging').strategy).toBe('canary');
  });

  it('gives an unlisted environment the entry defaults and no lifecycle', () => {
    expect(environmentStrategy(config, 'preview')).toEqual({
      environment: 'preview',
      strategy: 'canary',
      hosts: ['ssh://deploy@web1'],
      quality_gates: [],
      rollback_criteria: ['health_check_failure'],
      lifecycle: undefined,
    });
    expect(environmentStrategy(config, 'constructor').lifecycle).toBeUndefined();
  });

  it('refuses a host that is not ssh://user@host[:port]', () => {
    expect(() => parseConfig("deployment_strategies: { production: { hosts: ['web1'] } }", 'test.yaml')).toThrow(/ssh:\/\/user@host/);
  });
});
