import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';

const SKIPPED_DIRS = new Set(['.git', 'node_modules']);
const MAX_FILES = 50_000;

async function listFiles(root: string): Promise<string[]> {
  const files: string[] = [];
  const pending = [''];
  while (pending.length > 0 && files.length < MAX_FILES) {
    const dir = pending.pop()!;
    const entries = await readdir(path.join(root, dir), { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const rel = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory() && !SKIPPED_DIRS.has(entry.name)) pending.push(rel);
      else if (entry.isFile()) files.push(rel);
    }
  }
  return files;
}

/**
 * Turns the paths reports name into paths relative to the workspace, which is what annotations need.
 * Absolute paths inside the workspace lose its prefix. Paths that do not exist as given (JUnit
 * frames of Java and Go name a file without its source folder) are looked up once by suffix, and
 * kept only when exactly one file of the workspace ends with them.
 */
export function sourcePathResolver(workspace: string): (file: string) => Promise<string> {
  let listing: Promise<string[]> | undefined;
  const cache = new Map<string, Promise<string>>();
  const resolve = async (file: string): Promise<string> => {
    const normal = file.replace(/\\/g, '/');
    if (path.isAbsolute(normal)) {
      const rel = path.relative(workspace, normal);
      return rel.startsWith('..') || path.isAbsolute(rel) ? normal : rel;
    }
    if (existsSync(path.join(workspace, normal))) return normal;
    listing ??= listFiles(workspace);
    const matches = (await listing).filter((f) => f === normal || f.endsWith(`/${normal}`));
    return matches.length === 1 ? matches[0]! : normal;
  };
  return (file) => {
    if (!cache.has(file)) cache.set(file, resolve(file));
    return cache.get(file)!;
  };
}
