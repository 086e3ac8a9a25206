import { describe, expect, it } from 'vitest';
import { inertLogText } from './inert-log-text.ts';

/** What the runner would take for a command: a line starting with `::` after spaces, or holding `##[`. */
const commandLines = (text: string): string[] => text.split(/\r?\n|\r/).filter((line) => line.trim().startsWith('::') || line.includes('##['));

describe('log text that reaches the runner', () => {
  it.each(['tool ESLint\n::error file=a.js::forged', '  ::add-mask::x', 'ok\r::set-output name=x::y', 'legacy ##[error]forged', '::stop-commands::token'])(
    'carries no workflow command: %j',
    (text) => {
      expect(commandLines(inertLogText(text))).toEqual([]);
    },
  );

  it('leaves ordinary text alone', () => {
    expect(inertLogText('quality-gate: a::b passed; 10:30:00')).toBe('quality-gate: a::b passed; 10:30:00');
  });
});
