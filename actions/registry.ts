import type { ActionDefinition } from '../packages/runtime/action-definition.ts';
import { inputReader } from '../packages/runtime/input-reader.ts';
import type { ActionMain } from '../packages/runtime/run-action.ts';
import { buildScanImage } from './build-scan-image/definition.ts';
import { deployBlueGreen } from './deploy-blue-green/definition.ts';
import { deployCanary } from './deploy-canary/definition.ts';
import { deploy } from './deploy/definition.ts';
import { healthCheck } from './health-check/definition.ts';
import { metrics } from './metrics/definition.ts';
import { teardown } from './teardown/definition.ts';
import { qualityGate } from './quality-gate/definition.ts';
import { rollback } from './rollback/definition.ts';
import { status } from './status/definition.ts';

export interface RegisteredAction {
  definition: ActionDefinition;
  main: ActionMain;
}

/**
 * Definitions load with the registry (the CLI's help and the metadata need them); an action's code,
 * and what it alone needs, loads only when it runs, after its required inputs are checked, so a step
 * given too little fails in about the time Node and @actions/core take (bench/start-time.bench.ts).
 */
function lazy(definition: ActionDefinition, load: () => Promise<ActionMain>): RegisteredAction {
  const required = Object.entries(definition.inputs).flatMap(([name, spec]) => (spec.required ? [name] : []));
  return {
    definition,
    main: async (io) => {
      const inputs = inputReader(definition, io);
      for (const name of required) inputs.required(name);
      return (await load())(io);
    },
  };
}

/** Every action of the suite, in the order the docs list them. */
export const ACTIONS: readonly RegisteredAction[] = [
  lazy(qualityGate, async () => (await import('./quality-gate/main.ts')).qualityGateMain),
  lazy(buildScanImage, async () => (await import('./build-scan-image/main.ts')).buildScanImageMain),
  lazy(deployBlueGreen, async () => (await import('./deploy-blue-green/main.ts')).deployBlueGreenMain),
  lazy(deployCanary, async () => (await import('./deploy-canary/main.ts')).deployCanaryMain),
  lazy(healthCheck, async () => (await import('./health-check/main.ts')).healthCheckMain),
  lazy(rollback, async () => (await import('./rollback/main.ts')).rollbackMain),
];

export const ACTION_NAMES = ACTIONS.map((a) => a.definition.name);

/**
 * What the root action's `command` and the CLI run: the six actions, and commands that need no
 * address of their own (`uses: sidhe/devops@v1` with `command: deploy`, `teardown` or `metrics`).
 */
export const COMMANDS: readonly RegisteredAction[] = [
  ...ACTIONS,
  lazy(deploy, async () => (await import('./deploy/main.ts')).deployMain),
  lazy(teardown, async () => (await import('./teardown/main.ts')).teardownMain),
  lazy(metrics, async () => (await import('./metrics/main.ts')).metricsMain),
  lazy(status, async () => (await import('./status/main.ts')).statusMain),
];

export const COMMAND_NAMES = COMMANDS.map((a) => a.definition.name);

export function findCommand(name: string): RegisteredAction | undefined {
  return COMMANDS.find((a) => a.definition.name === name);
}
