import { appendFile, mkdtemp, rename, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LogTail } from './access-log-tail.ts';

let dir: string;
let path: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sidhe-log-tail-'));
  path = join(dir, 'access.log');
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function lines(tail: LogTail): Promise<string[]> {
  const read: string[] = [];
  await tail.read((line) => read.push(line));
  return read;
}

describe('LogTail', () => {
  it('reads only lines written after it opened', async () => {
    await writeFile(path, 'old 1\nold 2\n');
    const tail = await LogTail.open(path);
    await appendFile(path, 'new 1\nnew 2\n');
    expect(await lines(tail)).toEqual(['new 1', 'new 2']);
    expect(await lines(tail)).toEqual([]);
    await tail.close();
  });

  it('keeps a partial last line for the next read', async () => {
    await writeFile(path, '');
    const tail = await LogTail.open(path);
    await appendFile(path, 'one\ntw');
    expect(await lines(tail)).toEqual(['one']);
    await appendFile(path, 'o\nthr');
    expect(await lines(tail)).toEqual(['two']);
    await appendFile(path, 'ee\n');
    expect(await lines(tail)).toEqual(['three']);
    await tail.close();
  });

  it('finishes the rotated file, then reads the new one from its start', async () => {
    await writeFile(path, 'before\n');
    const tail = await LogTail.open(path);
    await appendFile(path, 'a\n');
    await rename(path, `${path}.1`);
    await appendFile(`${path}.1`, 'b\n'); // nginx writes to the renamed file until it reopens its logs
    expect(await lines(tail)).toEqual(['a', 'b']);
    await appendFile(`${path}.1`, 'c\n');
    await writeFile(path, 'd\n'); // reopened
    expect(await lines(tail)).toEqual(['c', 'd']);
    await appendFile(path, 'e\n');
    expect(await lines(tail)).toEqual(['e']);
    await tail.close();
  });

  it('reads a file that shrank (copytruncate) from its start', async () => {
    await writeFile(path, 'x'.repeat(100) + '\n');
    const tail = await LogTail.open(path);
    await truncate(path, 0);
    await appendFile(path, 'after\n');
    expect(await lines(tail)).toEqual(['after']);
    await tail.close();
  });

  it('reads a log created after it opened from its start, and says when there is none', async () => {
    const tail = await LogTail.open(path);
    await expect(lines(tail)).rejects.toThrow(
      `there is no access log at ${path} (yet); nginx creates it when its configuration has access_log ${path} sidhe_canary`,
    );
    await writeFile(path, 'first\n');
    expect(await lines(tail)).toEqual(['first']);
    await tail.close();
  });

  it('streams a burst larger than its chunks, every line whole', async () => {
    await writeFile(path, '');
    const tail = await LogTail.open(path);
    const line = (index: number) => `{"n":${index},"pad":"${'é'.repeat(index % 50)}"}`;
    await appendFile(path, Array.from({ length: 20_000 }, (_, index) => `${line(index)}\n`).join(''));
    const read = await lines(tail);
    expect(read).toHaveLength(20_000);
    expect(read.every((text, index) => text === line(index))).toBe(true);
    await tail.close();
  });
});
