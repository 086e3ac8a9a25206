import type { ActionIO } from './action-io.ts';
import type { ActionDefinition, OutputName } from './action-definition.ts';

/** Sets the outputs an action declares; any other name is a type error, as with InputReader. */
export interface OutputWriter<O extends string> {
  set(name: O, value: string): void;
}

export function outputWriter<D extends ActionDefinition>(_definition: D, io: ActionIO): OutputWriter<OutputName<D>> {
  return { set: (name, value) => io.setOutput(name, value) };
}
