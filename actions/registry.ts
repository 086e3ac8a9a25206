import type { ActionDefinition } from '../packages/runtime/action-definition.ts';
import type { ActionMain } from '../packages/runtime/run-action.ts';
import { buildScanImage } from './build-scan-image/definition.ts';
import { buildScanImageMain } from './build-scan-image/main.ts';
import { deployBlueGreen } from './deploy-blue-green/definition.ts';
import { deployBlueGreenMain } from './deploy-blue-green/main.ts';
import { deployCanary } from './deploy-canary/definition.ts';
import { deployCanaryMain } from './deploy-canary/main.ts';
import { deploy } from './deploy/definition.ts';
import { deployMain } from './deploy/main.ts';
import { healthCheck } from './health-check/definition.ts';
import { healthCheckMain } from './health-check/main.ts';
import { metrics } from './metrics/definition.ts';
import { teardown } from './teardown/definition.ts';
import { teardownMain } from './teardown/main.ts';
import { metricsMain } from './metrics/main.ts';
import { qualityGate } from './quality-gate/definition.ts';
import { qualityGateMain } from './quality-gate/main.ts';
import { rollback } from './rollback/definition.ts';
import { rollbackMain } from './rollback/main.ts';

export interface RegisteredAction {
  definition: ActionDefinition;
  main: ActionMain;
}

/** Every action of the suite, in the order the docs list them. */
export const ACTIONS: readonly RegisteredAction[] = [
  { definition: qualityGate, main: qualityGateMain },
  { definition: buildScanImage, main: buildScanImageMain },
  { definition: deployBlueGreen, main: deployBlueGreenMain },
  { definition: deployCanary, main: deployCanaryMain },
  { definition: healthCheck, main: healthCheckMain },
  { definition: rollback, main: rollbackMain },
];

export const ACTION_NAMES = ACTIONS.map((a) => a.definition.name);

/**
 * What the root action's `command` and the CLI run: the six actions, and commands that need no
 * address of their own (`uses: sidhe/devops@v1` with `command: deploy`, `teardown` or `metrics`).
 */
export const COMMANDS: readonly RegisteredAction[] = [...ACTIONS, { definition: deploy, main: deployMain }, { definition: teardown, main: teardownMain }, { definition: metrics, main: metricsMain }];

export const COMMAND_NAMES = COMMANDS.map((a) => a.definition.name);

export function findCommand(name: string): RegisteredAction | undefined {
  return COMMANDS.find((a) => a.definition.name === name);
}
