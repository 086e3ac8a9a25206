import type { ActionDefinition } from '../packages/runtime/action-definition.ts';
import { unionOf } from './definition-union.ts';
import { COMMAND_NAMES, COMMANDS } from './registry.ts';

const definitions = COMMANDS.map((c) => c.definition);

/**
 * The root action (`uses: sidhe/devops@v1`): `command` picks one of the six actions, or a command
 * such as `metrics` or `deploy`, at run time and every other input is handed to it. The chosen action
 * applies its own defaults (see unionOf()).
 */
export const rootAction: ActionDefinition = {
  name: 'sidhe-devops',
  title: 'SIDHE DevOps',
  description: 'Runs one of the SIDHE DevOps actions, chosen at run time by `command`.',
  branding: { icon: 'zap', color: 'blue' },
  inputs: {
    command: { description: `The action to run: ${COMMAND_NAMES.join(', ')}.`, required: true },
    ...unionOf(definitions, (d) => d.inputs),
  },
  outputs: unionOf(definitions, (d) => d.outputs),
};
