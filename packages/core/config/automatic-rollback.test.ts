import { describe, expect, it } from 'vitest';
import { switchBackRefusal } from './automatic-rollback.ts';
import { parseConfig } from './parse-config.ts';

const config = (yaml: string) => parseConfig(yaml, 'devops.yaml');

describe('switchBackRefusal', () => {
  it('switches back by default, and when a criterion the observation judges is named', () => {
    expect(switchBackRefusal(config(''), 'production')).toBeUndefined();
    expect(switchBackRefusal(config('deployment_strategies: { production: { rollback_criteria: [error_rate_threshold] } }'), 'production')).toBeUndefined();
  });

  it('keeps traffic on the release when rollback_automation is off', () => {
    expect(switchBackRefusal(config('devops_automator: { deployment: { rollback_automation: false } }'), 'production')).toBe(
      'devops_automator.deployment.rollback_automation is false',
    );
  });

  it('keeps traffic on the release when the environment rolls back only by hand', () => {
    expect(switchBackRefusal(config('deployment_strategies: { production: { rollback_criteria: [manual_trigger] } }'), 'production')).toBe(
      'deployment_strategies.production.rollback_criteria is [manual_trigger]: only the rollback action switches back',
    );
    expect(switchBackRefusal(config('deployment_strategies: { production: { rollback_criteria: [] } }'), 'staging')).toBeUndefined();
  });
});
