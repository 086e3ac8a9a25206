import { existsSync, readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../core/errors.ts';
import { withEnvFile } from './env-file.ts';

describe('withEnvFile', () => {
  it('writes NAME=value lines only its owner can read, and removes them afterwards', async () => {
    let seen = '';
    const result = await withEnvFile({ TOKEN: 'p@ss word=1', EMPTY: '' }, async (path) => {
      seen = path;
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(readFileSync(path, 'utf8')).toBe('TOKEN=p@ss word=1\nEMPTY=\n');
      return 'done';
    });
    expect(result).toBe('done');
    expect(existsSync(seen)).toBe(false);
  });

  it('removes the file when the command fails too', async () => {
    let seen = '';
    await expect(
      withEnvFile({ A: '1' }, async (path) => {
        seen = path;
        throw new Error('docker failed');
      }),
    ).rejects.toThrow('docker failed');
    expect(existsSync(seen)).toBe(false);
  });

  it('names the variable but never the value it cannot pass', async () => {
    const error = await withEnvFile({ CERT: 'line one\nline two' }, async () => 'unused').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toBe('env: the value of CERT holds a line break or NUL, which docker cannot pass');
    await expect(withEnvFile({ '1BAD': 'x' }, async () => 'unused')).rejects.toThrow(/"1BAD" is not a valid variable name/);
  });
});
