import { appendFile, mkdtemp, rename, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { localSystem } from '../host/host-system.ts';
import { HostLogTail } from './host-log-tail.ts';

// The script a remote host runs, run here by this machine's sh, stat, tail and head.
let dir: string;
let path: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sidhe-host-log-tail-'));
  path = join(dir, 'access log; $(touch pwned).log');
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function lines(tail: HostLogTail): Promise<string[]> {
  const read: string[] = [];
  await tail.read((line) => read.push(line));
  return read;
}

describe('HostLogTail', () => {
  it('reads only complete lines written after it opened, keeping a partial one for the next read', async () => {
    await writeFile(path, 'old 1\nold 2\n');
    const tail = await HostLogTail.open(localSystem, path);
    await appendFile(path, 'new 1\nnew é 2\nhal');
    expect(await lines(tail)).toEqual(['new 1', 'new é 2']);
    await appendFile(path, 'f\n');
    expect(await lines(tail)).toEqual(['half']);
    expect(await lines(tail)).toEqual([]);
  });

  it('follows a rotated or truncated file from its start', async () => {
    await writeFile(path, 'old\n');
    const tail = await HostLogTail.open(localSystem, path);
    await rename(path, `${path}.1`);
    await writeFile(path, 'rotated 1\n');
    expect(await lines(tail)).toEqual(['rotated 1']);
    await truncate(path, 0);
    await appendFile(path, 'cut\n');
    expect(await lines(tail)).toEqual(['cut']);
  });

  it('says where nginx should write when the log never existed, and takes it from its start once it does', async () => {
    const tail = await HostLogTail.open(localSystem, path);
    await expect(lines(tail)).rejects.toThrow(`there is no access log at ${path} on this runner (yet)`);
    await writeFile(path, 'first\n');
    expect(await lines(tail)).toEqual(['first']);
    expect(await lines(tail)).toEqual([]);
  });
});
