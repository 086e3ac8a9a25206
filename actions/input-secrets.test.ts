import { describe, expect, it } from 'vitest';
import { maskInputSecrets } from '../packages/runtime/input-secrets.ts';
import { terminalIO } from '../packages/runtime/terminal-io.ts';
import { COMMANDS } from './registry.ts';

const sink = { write: () => true } as unknown as NodeJS.WritableStream;

describe('secret inputs', () => {
  it('every input that can only hold a secret is marked so, in every action', () => {
    for (const { definition } of COMMANDS) {
      for (const [name, spec] of Object.entries(definition.inputs)) {
        if (/password|token|secret|ssh-key/.test(name)) expect(spec.secret, `${definition.name} input ${name}`).toBe('value');
        if (name === 'env') expect(spec.secret, `${definition.name} input env`).toBe('env-lines');
      }
    }
  });

  it('are masked before the action runs, with every URL credential of any input', () => {
    for (const { definition } of COMMANDS) {
      const planted = new Map<string, string>();
      for (const [name, spec] of Object.entries(definition.inputs)) {
        planted.set(
          name,
          spec.secret === 'env-lines' ? `KEY=${name}-env-s3cret` : spec.secret ? `${name}-s3cret` : `https://u:${name}-url-s3cret@host.example/x`,
        );
      }
      const { io } = terminalIO(planted, { out: sink, err: sink });
      maskInputSecrets(io, definition);
      const text = io.redact([...planted.values()].join('\n'));
      expect(text, definition.name).not.toMatch(/s3cret/);
    }
  });
});
