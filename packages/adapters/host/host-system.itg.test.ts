import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../process/run-command.ts';
import { remoteSystem, type HostExec } from './host-system.ts';

// The "remote" host is this machine: the same argv a host's SSH connection would carry, run here.
const exec: HostExec = (argv, options) => runCommand(argv[0]!, argv.slice(1), options);
const system = remoteSystem('web1', exec);
let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sidhe-host-system-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('remoteSystem', () => {
  it('reads a file, and a missing one as undefined', async () => {
    await writeFile(join(dir, 'a.conf'), 'server 127.0.0.1:8081 weight=100;\n');
    expect(await system.readFile(join(dir, 'a.conf'))).toBe('server 127.0.0.1:8081 weight=100;\n');
    expect(await system.readFile(join(dir, 'missing.conf'))).toBeUndefined();
  });

  it('replaces a file whole, leaving no temporary file, whatever the path holds', async () => {
    const path = join(dir, "odd $(touch pwned) 'name'; `x`.conf");
    await system.writeFileAtomic(path, 'first\n');
    await system.writeFileAtomic(path, 'second\n');
    expect(await readFile(path, 'utf8')).toBe('second\n');
    expect((await readdir(dir)).sort()).toEqual(['a.conf', "odd $(touch pwned) 'name'; `x`.conf"]);
    await system.removeFile(path);
    await system.removeFile(path);
    expect(await system.readFile(path)).toBeUndefined();
  });

  it('names the host and the path when a write fails', async () => {
    await expect(system.writeFileAtomic(join(dir, 'no-such-dir', 'x.conf'), 'x')).rejects.toThrow(/could not write .*x\.conf on web1: /);
  });
});
