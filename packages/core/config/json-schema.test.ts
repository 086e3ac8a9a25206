import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { JSON_SCHEMA_PATH, configJsonSchema } from './json-schema.ts';
import { parseConfig } from './parse-config.ts';

const root = new URL('../../../', import.meta.url);
const read = (path: string) => readFile(new URL(path, root), 'utf8');

interface SchemaNode {
  type?: string;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
  items?: SchemaNode;
  anyOf?: SchemaNode[];
  deprecated?: boolean;
}

/** Every mapping in the schema with the path to it: the ones with fixed keys must be closed. */
function mappings(node: SchemaNode, path = '$'): [string, SchemaNode][] {
  const children: [string, SchemaNode][] = [
    ...Object.entries(node.properties ?? {}).map(([key, child]): [string, SchemaNode] => [`${path}.${key}`, child]),
    ...(typeof node.additionalProperties === 'object' ? [[`${path}.*`, node.additionalProperties] as [string, SchemaNode]] : []),
    ...(node.items ? [[`${path}[]`, node.items] as [string, SchemaNode]] : []),
  ];
  const own: [string, SchemaNode][] = node.type === 'object' ? [[path, node]] : [];
  return [...own, ...children.flatMap(([childPath, child]) => mappings(child, childPath))];
}

describe('schema/devops.schema.json', () => {
  it('is what the schema generates', async () => {
    expect(await read(JSON_SCHEMA_PATH), `${JSON_SCHEMA_PATH} is out of date: run \`node scripts/generate-schema.ts\``).toBe(configJsonSchema());
  });

  it('describes the strict shape: no mapping with fixed keys accepts others', () => {
    const schema = JSON.parse(configJsonSchema()) as SchemaNode;
    const open = mappings(schema).filter(([, node]) => node.properties && node.additionalProperties !== false);
    expect(open.map(([path]) => path)).toEqual([]);
    expect(Object.keys(schema.properties ?? {})).toEqual([
      'devops_automator',
      'deployment_strategies',
      'previews',
      'infrastructure_monitoring',
      'image_lifecycle',
      'health_checks',
      'pipeline_templates',
    ]);
  });
});

describe('docs/configuration.md', () => {
  it('shows a complete example that equals the defaults and names every key', async () => {
    const docs = await read('docs/configuration.md');
    const example = [...docs.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => match[1]!).find((block) => block.includes('devops_automator:'));
    expect(example).toBeDefined();
    expect(parseConfig(example!, 'docs/configuration.md')).toEqual(parseConfig('', 'defaults'));
    // Removed keys (deprecated in the schema) are listed apart from the example.
    const keys = mappings(JSON.parse(configJsonSchema()) as SchemaNode).flatMap(([, node]) =>
      Object.entries(node.properties ?? {})
        .filter(([, child]) => !child.deprecated)
        .map(([key]) => key),
    );
    expect(keys.filter((key) => !example!.includes(`${key}:`))).toEqual([]);
    expect(example).toContain(`$schema=https://raw.githubusercontent.com/sidhe/devops/v1/${JSON_SCHEMA_PATH}`);
  });
});
