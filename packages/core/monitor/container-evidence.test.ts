import { describe, expect, it } from 'vitest';
import type { ReleaseContainer } from '../deploy/target.ts';
import { boundLogTail, gatherEvidence } from './container-evidence.ts';

describe('container evidence', () => {
  it('keeps the last lines within the line and byte bounds', () => {
    const text = Array.from({ length: 50 }, (_, i) => `line ${i}`).join('\n');
    expect(boundLogTail(text, { lines: 3, bytes: 4096 })).toEqual({ text: 'line 47\nline 48\nline 49', truncated: true });
    expect(boundLogTail(`${'x'.repeat(100)}\nshort`, { lines: 30, bytes: 50 })).toEqual({ text: 'short', truncated: true });
    expect(boundLogTail('a\nb\n', { lines: 30, bytes: 4096 })).toEqual({ text: 'a\nb', truncated: false });
  });

  it('reads how a container ended and its last lines, and is quiet when it is gone', async () => {
    const exited: ReleaseContainer = {
      name: 'c',
      id: '1',
      trusted: false,
      problem: '',
      status: { state: 'exited', running: false, exitCode: 3, health: 'unhealthy', healthLog: 'wget: 404' },
    };
    const target = { inspect: async (name: string) => (name === 'c' ? exited : undefined), logs: async () => 'starting\nDATABASE_URL is not set\n' };
    expect(await gatherEvidence(target, 'c')).toEqual({
      name: 'c',
      state: 'exited',
      exitCode: 3,
      health: 'unhealthy',
      healthLog: 'wget: 404',
      logTail: 'starting\nDATABASE_URL is not set',
      truncated: false,
    });
    expect(await gatherEvidence(target, 'gone')).toBeUndefined();
  });
});
