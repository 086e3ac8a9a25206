/** Writes schema/devops.schema.json from the configuration schema. Run after changing packages/core/config. */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { JSON_SCHEMA_PATH, configJsonSchema } from '../packages/core/config/json-schema.ts';

const target = fileURLToPath(new URL(`../${JSON_SCHEMA_PATH}`, import.meta.url));
await writeFile(target, configJsonSchema());
console.log(`wrote ${JSON_SCHEMA_PATH}`);
