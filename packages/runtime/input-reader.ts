import { ConfigurationError } from '../core/errors.ts';
import type { ActionIO } from './action-io.ts';
import type { ActionDefinition, InputName } from './action-definition.ts';

export interface InputReader<I extends string> {
  /** The input as given, else its documented default, else ''. */
  get(name: I): string;
  /** Like get, but an empty value is an error naming the input and what it is for. */
  required(name: I): string;
  /** Whether the user gave the input (as opposed to its default applying). */
  given(name: I): boolean;
}

export function inputReader<D extends ActionDefinition>(definition: D, io: ActionIO): InputReader<InputName<D>> {
  const spec = definition.inputs as Record<string, { description: string; default?: string }>;
  // A default such as `${{ github.token }}` is an expression only the runner can evaluate.
  const fallback = (name: string): string => {
    const value = spec[name]?.default ?? '';
    return value.includes('${{') ? '' : value;
  };
  const get = (name: string): string => io.getInput(name) || fallback(name);
  return {
    get,
    given: (name) => io.getInput(name) !== '',
    required(name) {
      const value = get(name);
      if (value === '') {
        throw new ConfigurationError(`input ${name} is required: ${spec[name]?.description ?? ''}`.trim());
      }
      return value;
    },
  };
}
