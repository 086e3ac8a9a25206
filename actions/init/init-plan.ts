// What `sidhe-devops init` writes, decided without touching the disk: the door reads what exists,
// hands it here, and writes only what the plan says.
import { ConfigurationError, invalidValue } from '../../packages/core/errors.ts';
import { checkRegistryHost } from '../../packages/core/images/image-reference.ts';
import { DEFAULT_CONFIG_PATH } from '../../packages/core/config/default-path.ts';
import { callerWorkflows, type CallerAnswers, type InitStrategy } from './caller-workflows.ts';

export interface InitAnswers {
  app: string;
  registry: string;
  environments: string;
  strategy: string;
}

export type FileAction = 'create' | 'unchanged' | 'overwrite' | 'conflict';

export interface PlannedFile {
  path: string;
  text: string;
  action: FileAction;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const STRATEGIES: readonly InitStrategy[] = ['blue-green', 'canary'];

/** Checks the answers (flags or prompts) and names the flag of any that cannot be used. */
export function checkAnswers(answers: InitAnswers, branch = 'main'): CallerAnswers {
  const app = answers.app.trim();
  if (!NAME.test(app)) throw invalidValue('--app', answers.app, 'use letters, digits, `.`, `_` and `-`, starting with a letter or digit');
  const registry = checkRegistryHost('--registry', answers.registry);
  const environments = answers.environments
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  const bad = environments.find((e) => !NAME.test(e));
  if (bad !== undefined) throw invalidValue('--environments', bad, 'environment names use letters, digits, `.`, `_` and `-`');
  if (environments.length !== 2 || environments[0] === environments[1]) {
    throw invalidValue('--environments', answers.environments, 'name two environments, the one deployed first and production, e.g. staging,production');
  }
  const strategy = answers.strategy.trim();
  if (!STRATEGIES.includes(strategy as InitStrategy)) throw invalidValue('--strategy', answers.strategy, `use ${STRATEGIES.join(' or ')}`);
  return { app, registry, environments: [environments[0]!, environments[1]!], strategy: strategy as InitStrategy, branch };
}

/** `.sidhe/devops.yaml`: only what differs from the defaults, with the schema line for editors. */
export function configText(a: CallerAnswers): string {
  const [staging, production] = a.environments;
  const strategy = a.strategy.replace('-', '_');
  return `# yaml-language-server: $schema=https://raw.githubusercontent.com/sidhe/devops/v1/schema/devops.schema.json
# Written by sidhe-devops init; every key is optional (docs/configuration.md lists them all).
devops_automator:
  docker:
    registry: ${a.registry}
deployment_strategies:
  ${staging}:
    strategy: blue_green
  ${production}:
    strategy: ${strategy}
`;
}

/** Every file init writes, path → text. */
export function initFiles(a: CallerAnswers): Map<string, string> {
  return new Map([[DEFAULT_CONFIG_PATH, configText(a)], ...callerWorkflows(a)]);
}

/**
 * Compares what init would write with what exists (`undefined`: no such file). A file that differs is
 * a conflict unless `force`; a file that is the same is left alone, so a second run changes nothing.
 */
export function planInit(files: ReadonlyMap<string, string>, existing: (path: string) => string | undefined, force: boolean): PlannedFile[] {
  return [...files].map(([path, text]) => {
    const current = existing(path);
    const action: FileAction = current === undefined ? 'create' : current === text ? 'unchanged' : force ? 'overwrite' : 'conflict';
    return { path, text, action };
  });
}

export function conflictError(plan: readonly PlannedFile[]): ConfigurationError | undefined {
  const conflicts = plan.filter((f) => f.action === 'conflict').map((f) => f.path);
  if (conflicts.length === 0) return undefined;
  return new ConfigurationError(
    `${conflicts.join(', ')} already exist${conflicts.length === 1 ? 's' : ''} with other content; nothing was written. Run again with --force to overwrite.`,
  );
}
