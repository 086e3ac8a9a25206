import type { ActionDefinition, InputSpec, OutputSpec } from '../packages/runtime/action-definition.ts';
import { ACTION_NAMES, ACTIONS } from './registry.ts';

/** Every name any action uses, each described once with the actions that take it. */
function union(pick: (d: ActionDefinition) => Record<string, { description: string }>): Record<string, { description: string }> {
  const users = new Map<string, { actions: string[]; description: string }>();
  for (const { definition } of ACTIONS) {
    for (const [name, spec] of Object.entries(pick(definition))) {
      const entry = users.get(name) ?? { actions: [], description: spec.description };
      entry.actions.push(definition.name);
      users.set(name, entry);
    }
  }
  return Object.fromEntries(
    [...users].map(([name, { actions, description }]) => [
      name,
      { description: actions.length === 1 ? `${actions[0]}: ${description}` : `Used by ${actions.join(', ')}; see each action.` },
    ]),
  );
}

/**
 * The root action (`uses: sidhe/devops@v1`): `command` picks one of the six at run time and every
 * other input is handed to it. Its inputs carry no defaults: the chosen action applies its own.
 */
export const rootAction: ActionDefinition = {
  name: 'sidhe-devops',
  title: 'SIDHE DevOps',
  description: 'Runs one of the SIDHE DevOps actions, chosen at run time by `command`.',
  branding: { icon: 'zap', color: 'blue' },
  inputs: {
    command: { description: `The action to run: ${ACTION_NAMES.join(', ')}.`, required: true },
    ...(union((d) => d.inputs) as Record<string, InputSpec>),
  },
  outputs: union((d) => d.outputs) as Record<string, OutputSpec>,
};
