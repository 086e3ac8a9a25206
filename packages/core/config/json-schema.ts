import { z } from 'zod';
import { devopsConfigSchema } from './schema.ts';

export const JSON_SCHEMA_PATH = 'schema/devops.schema.json';

/**
 * The JSON Schema editors validate `.sidhe/devops.yaml` against: the input side of the zod schema
 * (what users write, e.g. `300s`), not the parsed output. Draft-07, which YAML editors support best.
 */
export function configJsonSchema(): string {
  return `${JSON.stringify(z.toJSONSchema(devopsConfigSchema, { io: 'input', target: 'draft-07' }), null, 2)}\n`;
}
