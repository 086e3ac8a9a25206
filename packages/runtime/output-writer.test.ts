import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defineAction } from './action-definition.ts';
import { outputWriter } from './output-writer.ts';
import { terminalIO } from './terminal-io.ts';

const definition = defineAction({
  name: 'demo',
  title: 'Demo',
  description: 'demo',
  branding: { icon: 'zap', color: 'blue' },
  inputs: {},
  outputs: { release: { description: 'The release that serves.' } },
});

const sink = { write: () => true } as unknown as NodeJS.WritableStream;

describe('outputWriter', () => {
  it('sets a declared output, and an undeclared name does not compile', () => {
    const run = terminalIO(new Map(), { out: sink, err: sink });
    const outputs = outputWriter(definition, run.io);
    outputs.set('release', 'r-42');
    // @ts-expect-error `relase` is not an output of the definition
    outputs.set('relase', 'r-42');
    expect(run.outputs.get('release')).toBe('r-42');
  });

  it('is the only way the doors set outputs, so every name they set is declared', () => {
    const doors = join(import.meta.dirname, '../../actions');
    const files = readdirSync(doors, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    const bypassing = files.filter((f) => readFileSync(join(doors, f), 'utf8').includes('.setOutput('));
    expect(bypassing).toEqual([]);
  });
});
