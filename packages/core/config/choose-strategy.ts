import { ConfigurationError } from '../errors.ts';
import type { DeploymentStrategy, DevopsConfig } from './schema.ts';

/** Every spelling the `strategy` input takes: the configuration's and the actions' names. */
const SPELLINGS: Readonly<Record<string, DeploymentStrategy>> = {
  direct: 'direct',
  'deploy-direct': 'direct',
  blue_green: 'blue_green',
  'blue-green': 'blue_green',
  'deploy-blue-green': 'blue_green',
  canary: 'canary',
  'deploy-canary': 'canary',
};

export interface StrategyChoice {
  strategy: DeploymentStrategy;
  /** For the log and summary: `from deployment_strategies.staging.strategy in .sidhe/devops.yaml`. */
  reason: string;
}

/** `strategy` input → a strategy; '' → undefined. A misspelt one is an error listing the allowed. */
export function parseStrategy(raw: string): DeploymentStrategy | undefined {
  const text = raw.trim();
  if (text === '') return undefined;
  const found = Object.hasOwn(SPELLINGS, text) ? SPELLINGS[text] : undefined;
  if (!found) throw new ConfigurationError(`input strategy is ${JSON.stringify(raw)}: use one of ${Object.keys(SPELLINGS).join(', ')}`);
  return found;
}

/**
 * The strategy a deploy to `environment` runs, and why: the `strategy` input, else the environment's
 * `deployment_strategies.<env>.strategy`, else `deployment.default_strategy`. When the configuration
 * lists environments, one it does not list is an error naming those it has (previews excepted: they
 * are made per pull request).
 */
export function chooseStrategy(
  config: DevopsConfig,
  environment: string,
  input: string,
  configPath: string,
  options: { preview?: boolean } = {},
): StrategyChoice {
  const given = parseStrategy(input);
  const known = Object.keys(config.deployment_strategies);
  const listed = Object.hasOwn(config.deployment_strategies, environment);
  if (!listed && known.length > 0 && !options.preview) {
    throw new ConfigurationError(
      `input environment is ${JSON.stringify(environment)}, which deployment_strategies in ${configPath} does not list; it lists: ${known.join(', ')}`,
    );
  }
  if (given) return { strategy: given, reason: 'from the strategy input' };
  const own = listed ? config.deployment_strategies[environment]!.strategy : undefined;
  if (own) return { strategy: own, reason: `from deployment_strategies.${environment}.strategy in ${configPath}` };
  const fallback = config.devops_automator.deployment.default_strategy;
  return { strategy: fallback, reason: `from devops_automator.deployment.default_strategy in ${configPath} (blue_green when not set)` };
}
