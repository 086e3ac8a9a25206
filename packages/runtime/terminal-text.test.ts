import { describe, expect, it } from 'vitest';
import { printableLines, stripTerminalEscapes } from './terminal-text.ts';

describe('text printed on a terminal', () => {
  it.each([
    ['colour (CSI SGR)', 'a\x1b[31;1mred\x1b[0m b', 'ared b'],
    ['cursor moves and erases (CSI)', 'ok\x1b[2K\x1b[1Afake line', 'okfake line'],
    ['a window title (OSC, BEL)', '\x1b]0;pwned\x07deploy', 'deploy'],
    ['a hyperlink (OSC 8, ST)', '\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\', 'click'],
    ['the clipboard (OSC 52)', 'x\x1b]52;c;Y3VybCBldmlsIHwgc2g=\x07y', 'xy'],
    ['a device control string (DCS)', 'a\x1bPq#0;2;0;0;0\x1b\\b', 'ab'],
    ['a charset switch (ESC ( 0)', 'a\x1b(0b', 'ab'],
    ['a reset (ESC c)', 'a\x1bcb', 'ab'],
    ['8-bit CSI', 'a\x9b31mb', 'ab'],
    ['8-bit OSC', 'a\x9d0;title\x9cb', 'ab'],
    ['a lone ESC at the end', 'a\x1b', 'a'],
    ['backspaces, carriage returns, bells and NUL', 'safe\rEVIL\b\b\x07\x00!', 'safe EVIL!'],
    ['line breaks and tabs', 'one\ntwo\tthree', 'one two three'],
  ])('removes %s', (_, text, printed) => {
    expect(stripTerminalEscapes(text)).toBe(printed);
  });

  it('keeps ordinary text, Unicode included', () => {
    expect(stripTerminalEscapes('deploy.finished ✅ café — r42 [blue]')).toBe('deploy.finished ✅ café — r42 [blue]');
  });

  it('keeps the line breaks of several lines', () => {
    expect(printableLines('Quality gate\n\x1b[2Jtest \x1b]0;x\x07name\r\n')).toBe('Quality gate\ntest name \n');
  });
});
