import { readFile, readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { runContextFrom } from './run-context.ts';

const root = new URL('../../', import.meta.url);
// `env.GITHUB_X`, `env['GITHUB_X']` or `{ GITHUB_X } = env`: a read of the runner's variables.
const GITHUB_READ = /env(\.|\[['"])GITHUB_|\{[^}]*\bGITHUB_\w+[^}]*\}\s*=\s*[\w.]*env\b/;

describe('runContextFrom', () => {
  it("reads the event, the ref and the step summary's presence", () => {
    const context = runContextFrom({ GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/main', GITHUB_STEP_SUMMARY: '/tmp/summary.md' });
    expect(context).toMatchObject({ event: 'push', ref: 'refs/heads/main', stepSummary: true });
    expect(runContextFrom({})).not.toHaveProperty('event');
  });

  it('is the one place source code reads GITHUB_* variables', async () => {
    const readers: string[] = [];
    for (const dir of ['actions', 'packages']) {
      for (const entry of await readdir(new URL(dir, root), { recursive: true })) {
        const file = `${dir}/${entry}`;
        if (!file.endsWith('.ts') || file.endsWith('.test.ts') || file === 'packages/runtime/run-context.ts') continue;
        if (GITHUB_READ.test(await readFile(new URL(file, root), 'utf8'))) readers.push(file);
      }
    }
    expect(readers).toEqual([]);
  });
});
