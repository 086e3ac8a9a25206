import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { quoteRemoteCommand } from './remote-command.ts';

/** What a POSIX shell makes of the command line: the argv it would exec, printed NUL-separated. */
function shellArgv(commandLine: string): string[] {
  const result = spawnSync('sh', ['-c', `printf '%s\\0' ${commandLine}`], { encoding: 'utf8' });
  expect(result.status).toBe(0);
  return result.stdout.split('\0').slice(0, -1);
}

const HOSTILE = [
  '$(touch /tmp/pwned)',
  '`touch /tmp/pwned`',
  'a; rm -rf /',
  'a | cat /etc/passwd',
  'a && b & c',
  'line one\nline two\n',
  "it's",
  '"double" \'single\' \\back',
  '*',
  '~root',
  '-oProxyCommand=sh',
  '--',
  '',
  ' leading and trailing ',
  '${HOME} $HOME $((1+1))',
  '> /tmp/out < /etc/hosts 2>&1',
  '#comment',
  '\t\r',
  'ünïcödé ✓',
  "''''",
];

describe('quoteRemoteCommand', () => {
  it('gives a POSIX shell back exactly the arguments, whatever they hold', () => {
    expect(shellArgv(quoteRemoteCommand(HOSTILE))).toEqual(HOSTILE);
  });

  it.each(HOSTILE)('keeps %j as one argument', (argument) => {
    expect(shellArgv(quoteRemoteCommand(['x', argument, 'y']))).toEqual(['x', argument, 'y']);
  });

  it('quotes every argument, plain words too', () => {
    expect(quoteRemoteCommand(['docker', 'ps', "it's"])).toBe(`'docker' 'ps' 'it'\\''s'`);
  });

  it('refuses a NUL byte, which would cut the argument short', () => {
    expect(() => quoteRemoteCommand(['echo', 'a\0b'])).toThrow(/NUL byte/);
  });

  it('refuses an empty command', () => {
    expect(() => quoteRemoteCommand([])).toThrow(/at least the program/);
  });
});
