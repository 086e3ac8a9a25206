import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classifyFailure, lastError, offeredHostKey } from './ssh-master-log.ts';

/** Logs OpenSSH 9.2 wrote (`ssh -M -N -f -E <file> -o LogLevel=DEBUG1`) against the host bed. */
const log = (name: string) => readFileSync(new URL(`fixtures/master-${name}.log`, import.meta.url), 'utf8');

describe('reading the master log', () => {
  it('finds the host key the server offered, which ssh prints only at debug level', () => {
    expect(offeredHostKey(log('changed'))).toBe('ED25519 SHA256:588PWgWF9eAYIPGxKUmh2nJzUfsMU9EYQYnP4zu07Zw');
    expect(offeredHostKey(log('unknown'))).toBe('ED25519 SHA256:588PWgWF9eAYIPGxKUmh2nJzUfsMU9EYQYnP4zu07Zw');
    expect(offeredHostKey(log('refused'))).toBeUndefined();
  });

  it('tells a host key problem from a refused key and an unreachable host', () => {
    expect(classifyFailure(log('changed'))).toBe('host-key');
    expect(classifyFailure(log('unknown'))).toBe('host-key');
    expect(classifyFailure(log('denied'))).toBe('auth');
    expect(classifyFailure(log('refused'))).toBe('unreachable');
    expect(classifyFailure('')).toBe('other');
  });

  it("quotes ssh's last error, not its debug lines", () => {
    expect(lastError(log('denied'), '-')).toBe('root@10.213.1.2: Permission denied (publickey).');
    expect(lastError(log('refused'), '-')).toBe('ssh: connect to host 10.213.2.2 port 22: Connection refused');
    expect(lastError('debug1: nothing wrong\n', 'no reason')).toBe('no reason');
  });
});
