import { describe, expect, it } from 'vitest';
import { defineAction } from './action-definition.ts';
import { inputReader } from './input-reader.ts';
import { terminalIO } from './terminal-io.ts';

const definition = defineAction({
  name: 'demo',
  title: 'Demo',
  description: 'demo',
  branding: { icon: 'zap', color: 'blue' },
  inputs: {
    targets: { description: 'What to probe.', required: true },
    timeout: { description: 'Deadline.', default: '5m' },
    token: { description: 'Token.', default: '${{ github.token }}' },
  },
  outputs: {},
});

const sink = { write: () => true } as unknown as NodeJS.WritableStream;
const reader = (inputs: Record<string, string>) => inputReader(definition, terminalIO(new Map(Object.entries(inputs)), { out: sink, err: sink }).io);

describe('inputReader', () => {
  it('returns the given value, else the documented default', () => {
    expect(reader({ timeout: ' 30s ' }).get('timeout')).toBe('30s');
    expect(reader({}).get('timeout')).toBe('5m');
    expect(reader({}).given('timeout')).toBe(false);
  });

  it('treats a runner expression default as not given outside the runner', () => {
    expect(reader({}).get('token')).toBe('');
  });

  it('names a missing required input and what it is for', () => {
    expect(() => reader({}).required('targets')).toThrow('input targets is required: What to probe.');
  });
});
