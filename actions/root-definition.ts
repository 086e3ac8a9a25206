import type { ActionDefinition, InputSpec, OutputSpec } from '../packages/runtime/action-definition.ts';
import { COMMAND_NAMES, COMMANDS } from './registry.ts';

type Spec = { description: string; default?: string };

/**
 * Every name any action uses, each described once with the actions that take it. Defaults are the
 * chosen action's to apply, in code, except an expression (`${{ github.token }}`): only the runner can
 * evaluate one, so the root carries it when every action that takes the input has the same.
 */
function union(pick: (d: ActionDefinition) => Record<string, Spec>): Record<string, Spec> {
  const users = new Map<string, { actions: string[]; specs: Spec[] }>();
  for (const { definition } of COMMANDS) {
    for (const [name, spec] of Object.entries(pick(definition))) {
      const entry = users.get(name) ?? { actions: [], specs: [] };
      entry.actions.push(definition.name);
      entry.specs.push(spec);
      users.set(name, entry);
    }
  }
  return Object.fromEntries(
    [...users].map(([name, { actions, specs }]) => {
      const expression = specs[0]!.default?.startsWith('${{') && specs.every((s) => s.default === specs[0]!.default) ? specs[0]!.default : undefined;
      const description = actions.length === 1 ? `${actions[0]}: ${specs[0]!.description}` : `Used by ${actions.join(', ')}; see each action.`;
      return [name, { description, ...(expression ? { default: expression } : {}) }];
    }),
  );
}

/**
 * The root action (`uses: sidhe/devops@v1`): `command` picks one of the six actions, or `metrics`, at run time and every
 * other input is handed to it. The chosen action applies its own defaults (see union()).
 */
export const rootAction: ActionDefinition = {
  name: 'sidhe-devops',
  title: 'SIDHE DevOps',
  description: 'Runs one of the SIDHE DevOps actions, chosen at run time by `command`.',
  branding: { icon: 'zap', color: 'blue' },
  inputs: {
    command: { description: `The action to run: ${COMMAND_NAMES.join(', ')}.`, required: true },
    ...(union((d) => d.inputs) as Record<string, InputSpec>),
  },
  outputs: union((d) => d.outputs) as Record<string, OutputSpec>,
};
