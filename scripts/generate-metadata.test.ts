import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ACTION_NAMES } from '../actions/registry.ts';
import { metadataFiles, NODE_RUNTIME } from './generate-metadata.ts';

const root = path.resolve(import.meta.dirname, '..');

describe('action.yml files', () => {
  const files = metadataFiles();

  it('exist for the six actions and the root, and match what the definitions generate', () => {
    expect([...files.keys()].sort()).toEqual([...ACTION_NAMES.map((n) => `${n}/action.yml`), 'action.yml'].sort());
    for (const [file, text] of files) {
      expect(readFileSync(path.join(root, file), 'utf8'), `${file} is stale: run npm run build`).toBe(text);
    }
  });

  it('all run on one Node version and point at a bundle stub that exists', () => {
    for (const [file, text] of files) {
      const { runs } = parse(text) as { runs: { using: string; main: string } };
      expect(runs.using).toBe(NODE_RUNTIME);
      expect(existsSync(path.join(root, path.dirname(file), runs.main)), `${file} → ${runs.main}`).toBe(true);
    }
  });

  it('describe every input and output, and give the root a required command', () => {
    for (const [file, text] of files) {
      const doc = parse(text) as { inputs: Record<string, { description: string; required: boolean }>; outputs: Record<string, { description: string }> };
      for (const [name, spec] of [...Object.entries(doc.inputs), ...Object.entries(doc.outputs)]) {
        expect(spec.description, `${file}: ${name}`).not.toBe('');
      }
    }
    const root = parse(files.get('action.yml')!) as { inputs: Record<string, { required: boolean }> };
    expect(root.inputs.command?.required).toBe(true);
    expect(root.inputs.targets?.required).toBe(false);
  });
});
