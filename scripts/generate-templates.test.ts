import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEMPLATES_DIR, templateFiles } from './generate-templates.ts';

const root = path.resolve(import.meta.dirname, '..');

describe('workflows-templates/', () => {
  it.each([...templateFiles()])('%s is what the generator writes (node scripts/generate-templates.ts)', (file, text) => {
    expect(readFileSync(path.join(root, TEMPLATES_DIR, file), 'utf8')).toBe(text);
  });

  it("has GitHub's starter-workflow properties for each of the four templates", () => {
    const properties = [...templateFiles()].filter(([f]) => f.endsWith('.properties.json')).map(([, t]) => JSON.parse(t) as Record<string, unknown>);
    expect(properties).toHaveLength(4);
    for (const p of properties) expect(Object.keys(p)).toEqual(['name', 'description', 'iconName', 'categories', 'filePatterns']);
  });
});
