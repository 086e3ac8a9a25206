import { describe, expect, it } from 'vitest';
import { runCommand } from './run-command.ts';

describe('runCommand', () => {
  it('passes arguments as they are, with no shell in between', async () => {
    const result = await runCommand('printf', ['%s|', 'a b', '$(echo no)', ';ls']);
    expect(result).toMatchObject({ exitCode: 0, stdout: 'a b|$(echo no)|;ls|', timedOut: false });
  });

  it('feeds stdin and reports the exit code and stderr', async () => {
    const result = await runCommand('sh', ['-c', 'cat; echo oops >&2; exit 3'], { input: 'secret' });
    expect(result).toMatchObject({ exitCode: 3, stdout: 'secret', stderr: 'oops\n' });
  });

  it('kills a command that runs past its timeout', async () => {
    const result = await runCommand('sleep', ['5'], { timeoutMs: 100 });
    expect(result.timedOut).toBe(true);
  });

  it('names a program that cannot start', async () => {
    await expect(runCommand('/nonexistent/tool', [])).rejects.toThrow('could not start /nonexistent/tool');
  });
});

describe('runCommand aborted', () => {
  it('SIGKILLs the command when the signal aborts, after showing its output', async () => {
    const controller = new AbortController();
    let seen = '';
    const result = await runCommand('sh', ['-c', 'echo ready; exec sleep 5'], {
      signal: controller.signal,
      onStdout: (chunk) => {
        seen += chunk;
        if (seen.includes('ready')) controller.abort();
      },
    });
    expect(result.exitCode).toBe(128);
    expect(result.stdout).toBe('ready\n');
  });
});
