import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ACTION_DOCS_DIR, docFiles } from './generate-docs.ts';

const root = path.resolve(import.meta.dirname, '..');
const files = docFiles();

describe('docs/actions/', () => {
  it.each([...files])('%s is what the generator writes (run node scripts/generate-docs.ts)', (file, text) => {
    expect(readFileSync(path.join(root, ACTION_DOCS_DIR, file), 'utf8')).toBe(text);
  });

  it('holds no page the generator does not write', () => {
    expect(readdirSync(path.join(root, ACTION_DOCS_DIR)).sort()).toEqual([...files.keys()].sort());
  });

  it('lists every input and output of each action.yml', () => {
    for (const name of ['quality-gate', 'build-scan-image', 'deploy-blue-green', 'deploy-canary', 'health-check', 'rollback']) {
      const meta = parse(readFileSync(path.join(root, name, 'action.yml'), 'utf8')) as { inputs: object; outputs: object };
      const page = files.get(`${name}.md`)!;
      for (const input of Object.keys(meta.inputs)) expect(page, `${name} ${input}`).toMatch(new RegExp(`^\\| \`${input}\` \\|`, 'm'));
      for (const output of Object.keys(meta.outputs)) expect(page, `${name} ${output}`).toMatch(new RegExp(`^\\| \`${output}\` \\|`, 'm'));
    }
  });
});
