/**
 * One action's public contract: its name, metadata, inputs and outputs. `<name>/action.yml` is
 * generated from it (scripts/generate-metadata.ts), the code reads inputs and writes outputs through
 * it, and the CLI prints its help from it, so a name exists in exactly one place.
 */
export interface InputSpec {
  description: string;
  required?: boolean;
  /** Applied by the runner (action.yml) and by our code alike, so the CLI behaves the same. */
  default?: string;
  /**
   * Masked before the action runs: `value` the whole input, `env-lines` each value of its
   * `NAME=value` lines. Credentials in a URL are masked in every input, marked or not.
   */
  secret?: 'value' | 'env-lines';
}

export interface OutputSpec {
  description: string;
}

export interface ActionDefinition<I extends string = string, O extends string = string> {
  name: string;
  title: string;
  description: string;
  /** Feather icon and colour for the Marketplace. */
  branding: { icon: string; color: string };
  inputs: Record<I, InputSpec>;
  outputs: Record<O, OutputSpec>;
}

export type InputName<D> = D extends ActionDefinition<infer I, string> ? I : never;
export type OutputName<D> = D extends ActionDefinition<string, infer O> ? O : never;

export function defineAction<const I extends string, const O extends string>(definition: ActionDefinition<I, O>): ActionDefinition<I, O> {
  return definition;
}
