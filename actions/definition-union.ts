import type { ActionDefinition, InputSpec, OutputSpec } from '../packages/runtime/action-definition.ts';

/**
 * Every input (or output) name the given actions use, each described once with the actions that take
 * it, for a door that hands its inputs on (the root action, `deploy`). Defaults are the chosen action's
 * to apply, in code, except an expression (`${{ github.token }}`): only the runner can evaluate one, so
 * the union carries it when every action that takes the input has the same. A secret input stays secret.
 */
export function unionOf<S extends InputSpec | OutputSpec>(
  definitions: readonly ActionDefinition[],
  pick: (d: ActionDefinition) => Record<string, S>,
): Record<string, S> {
  const users = new Map<string, { actions: string[]; specs: S[] }>();
  for (const definition of definitions) {
    for (const [name, spec] of Object.entries(pick(definition))) {
      const entry = users.get(name) ?? { actions: [], specs: [] };
      entry.actions.push(definition.name);
      entry.specs.push(spec);
      users.set(name, entry);
    }
  }
  return Object.fromEntries(
    [...users].map(([name, { actions, specs }]) => {
      const inputs = specs as InputSpec[];
      const first = inputs[0]!;
      const expression = first.default?.startsWith('${{') && inputs.every((s) => s.default === first.default) ? first.default : undefined;
      const secret = inputs.find((s) => s.secret)?.secret;
      const description = actions.length === 1 ? `${actions[0]}: ${first.description}` : `Used by ${actions.join(', ')}; see each action.`;
      return [name, { description, ...(expression ? { default: expression } : {}), ...(secret ? { secret } : {}) } as S];
    }),
  );
}
