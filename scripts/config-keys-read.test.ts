import { readFile, readdir } from 'node:fs/promises';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { configJsonSchema } from '../packages/core/config/json-schema.ts';

/**
 * Every key of `.sidhe/devops.yaml` must be read by some code, or it is a setting that does nothing.
 * A key counts as read where non-test source outside the schema reads it by name: `.key`, `['key']`
 * or destructuring. A name the schema uses at two paths (e.g. `enabled`) must be read through its
 * parent's name (`monitoring.enabled`) to count.
 */

const root = new URL('../', import.meta.url);
const SOURCE_DIRS = ['actions', 'packages'];
const SCHEMA_FILE = 'packages/core/config/schema.ts';

/**
 * Keys no code outside the schema names, each with who reads it. The second test holds each entry
 * to a reader by name somewhere (the schema included), so an entry cannot outlive its reader.
 */
const READ_AS_A_WHOLE: Record<string, string> = {
  // A shorthand: the schema's transform folds it into canary.increment_percentage, which the canary reads.
  'devops_automator.deployment.canary_traffic_increment': 'the deployment transform in packages/core/config/schema.ts',
};

interface SchemaNode {
  properties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
  items?: SchemaNode;
  anyOf?: SchemaNode[];
  deprecated?: boolean;
}

/** Every key path of the schema; `*` stands for a record's keys. Deprecated keys are accepted, not settings. */
function keyPaths(node: SchemaNode, path: string[] = []): string[][] {
  const own = Object.entries(node.properties ?? {})
    .filter(([, child]) => !child.deprecated)
    .flatMap(([key, child]) => [[...path, key], ...keyPaths(child, [...path, key])]);
  const record = typeof node.additionalProperties === 'object' ? keyPaths(node.additionalProperties, [...path, '*']) : [];
  const items = node.items ? keyPaths(node.items, path) : [];
  const alternatives = (node.anyOf ?? []).flatMap((child) => keyPaths(child, path));
  return [...own, ...record, ...items, ...alternatives];
}

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(new URL(dir, root), { recursive: true });
  return entries.map((entry) => `${dir}/${entry}`).filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && !file.includes('/testing/'));
}

/** `parent.key` for every read in the files. */
async function readsIn(files: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (const file of files) {
    const text = await readFile(new URL(file, root), 'utf8');
    for (const read of reads(ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true))) found.add(read);
  }
  return found;
}

/** The last name of an expression: `config.health_checks` → health_checks, `rest.canary` → canary. */
function lastName(node: ts.Node): string {
  if (ts.isPropertyAccessExpression(node)) return node.name.text;
  if (ts.isIdentifier(node)) return node.text;
  if (ts.isElementAccessExpression(node) && ts.isStringLiteral(node.argumentExpression)) return node.argumentExpression.text;
  if (ts.isNonNullExpression(node) || ts.isParenthesizedExpression(node) || ts.isAwaitExpression(node)) return lastName(node.expression);
  return '*';
}

/** `parent.key` for every read in the source; parent is `*` where it cannot be told (e.g. a destructured parameter). */
function reads(file: ts.SourceFile): Set<string> {
  const found = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAccessExpression(node)) found.add(`${lastName(node.expression)}.${node.name.text}`);
    if (ts.isElementAccessExpression(node) && ts.isStringLiteral(node.argumentExpression)) {
      found.add(`${lastName(node.expression)}.${node.argumentExpression.text}`);
    }
    if (ts.isBindingElement(node) && ts.isObjectBindingPattern(node.parent)) {
      const key = node.propertyName ?? node.name;
      const declaration = node.parent.parent;
      const parent = ts.isVariableDeclaration(declaration) && declaration.initializer ? lastName(declaration.initializer) : '*';
      if (ts.isIdentifier(key) || ts.isStringLiteral(key)) found.add(`${parent}.${key.text}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

describe('configuration keys', () => {
  it('are each read by some code', async () => {
    const schema = JSON.parse(configJsonSchema()) as SchemaNode;
    const paths = keyPaths(schema);
    const pathsOfName = new Map<string, number>();
    for (const name of new Set(paths.map((path) => path.join('.')))) {
      const key = name.split('.').at(-1) ?? '';
      pathsOfName.set(key, (pathsOfName.get(key) ?? 0) + 1);
    }
    const files = (await Promise.all(SOURCE_DIRS.map(sourceFiles))).flat().filter((file) => file !== SCHEMA_FILE);
    const found = await readsIn(files);
    const readKeys = [...found].map((read) => read.split('.').at(-1));
    const isRead = (path: string[]): boolean => {
      const key = path.at(-1) ?? '';
      const parent = path.at(-2) ?? '*';
      if ((pathsOfName.get(key) ?? 0) > 1 && parent !== '*') return found.has(`${parent}.${key}`);
      return readKeys.includes(key);
    };
    const unread = [...new Set(paths.map((path) => path.join('.')))].filter((path) => !isRead(path.split('.')) && !(path in READ_AS_A_WHOLE));
    expect(unread, 'configuration keys no code reads: wire each to what its description promises, or remove it').toEqual([]);
  });

  it('allow-list only keys that exist and that some code, the schema included, reads by name', async () => {
    const paths = new Set(keyPaths(JSON.parse(configJsonSchema()) as SchemaNode).map((path) => path.join('.')));
    const found = await readsIn((await Promise.all(SOURCE_DIRS.map(sourceFiles))).flat());
    const readKeys = new Set([...found].map((read) => read.split('.').at(-1)));
    const listed = Object.keys(READ_AS_A_WHOLE);
    expect(listed.filter((path) => !paths.has(path) || !readKeys.has(path.split('.').at(-1)))).toEqual([]);
  });
});
