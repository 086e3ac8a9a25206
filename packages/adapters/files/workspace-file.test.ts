import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../core/errors.ts';
import { readWorkspaceFile, resolveWorkspacePath } from './workspace-file.ts';
import { matchWorkspaceFiles } from './workspace-glob.ts';

const MARKER = 'OUTSIDE-MARKER-7f3a';
let base: string;
let workspace: string;
let outside: string;

beforeAll(() => {
  base = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'sidhe-files-')));
  workspace = path.join(base, 'ws');
  outside = path.join(base, 'secret.txt');
  mkdirSync(path.join(workspace, 'reports', 'nested'), { recursive: true });
  writeFileSync(outside, `${MARKER}\n`);
  writeFileSync(path.join(workspace, 'ok.yaml'), 'a: 1\n');
  writeFileSync(path.join(workspace, 'reports', 'a.xml'), '<testsuites/>');
  writeFileSync(path.join(workspace, 'big.txt'), 'x'.repeat(2048));
  symlinkSync(outside, path.join(workspace, 'link-out.yaml'));
  symlinkSync('ok.yaml', path.join(workspace, 'link-in.yaml'));
  symlinkSync('/etc', path.join(workspace, 'reports', 'nested', 'etc'));
  symlinkSync(outside, path.join(workspace, 'reports', 'b.xml'));
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

/** The error a call throws, which must be a ConfigurationError that shows nothing of the outside file. */
async function refusal(call: Promise<unknown>): Promise<string> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigurationError);
  const message = (error as Error).message;
  expect(message).not.toContain(MARKER);
  return message;
}

describe('reading a file the user names', () => {
  it('reads a file inside the workspace, also through a symlink that stays inside', async () => {
    expect(await readWorkspaceFile('config', 'ok.yaml', workspace, { maxBytes: 100 })).toEqual({ path: path.join(workspace, 'ok.yaml'), text: 'a: 1\n' });
    expect((await readWorkspaceFile('config', 'link-in.yaml', workspace, { maxBytes: 100 })).text).toBe('a: 1\n');
    expect((await readWorkspaceFile('config', path.join(workspace, 'ok.yaml'), workspace, { maxBytes: 100 })).text).toBe('a: 1\n');
  });

  it('reads through the workspace as the runner names it, when that is a symlink', async () => {
    const named = path.join(base, 'ws-link');
    symlinkSync(workspace, named);
    expect((await readWorkspaceFile('config', path.join(named, 'ok.yaml'), named, { maxBytes: 100 })).path).toBe(path.join(workspace, 'ok.yaml'));
    expect((await readWorkspaceFile('config', 'ok.yaml', named, { maxBytes: 100 })).text).toBe('a: 1\n');
    expect(await matchWorkspaceFiles('junit', [path.join(named, 'reports/a.xml')], named)).toEqual([
      { file: 'reports/a.xml', real: path.join(workspace, 'reports/a.xml') },
    ]);
  });

  it.each([
    ['an absolute path outside', () => outside, /^config: ".*secret\.txt" is outside the workspace; give a path inside /],
    ['a ../ escape', () => '../secret.txt', /^config: "\.\.\/secret\.txt" is outside the workspace/],
    ['an escape in the middle', () => 'reports/../../secret.txt', /^config: "reports\/\.\.\/\.\.\/secret\.txt" is outside the workspace/],
    ['a symlink leading outside', () => 'link-out.yaml', /^config: "link-out\.yaml" leads outside the workspace \(to .*secret\.txt\)/],
    ['/etc/passwd', () => '/etc/passwd', /^config: "\/etc\/passwd" is outside the workspace/],
    ['/proc/self/environ', () => '/proc/self/environ', /^config: "\/proc\/self\/environ" is outside the workspace/],
  ])('refuses %s, naming the input and the path', async (_, given, message) => {
    expect(await refusal(readWorkspaceFile('config', given(), workspace, { maxBytes: 1000 }))).toMatch(message);
    expect(await refusal(resolveWorkspacePath('config', given(), workspace))).toMatch(message);
  });

  it('refuses a file over the limit before reading it, saying its size and the limit', async () => {
    expect(await refusal(readWorkspaceFile('config', 'big.txt', workspace, { maxBytes: 1024 }))).toBe('config: "big.txt" is 2 kB; the limit is 1 kB');
  });

  it('refuses what is not a regular file, a FIFO without waiting for a writer', async () => {
    expect(await refusal(readWorkspaceFile('env-file', 'reports', workspace, { maxBytes: 1024 }))).toBe('env-file: "reports" is not a regular file');
    execFileSync('mkfifo', [path.join(workspace, 'pipe')]);
    expect(await refusal(readWorkspaceFile('env-file', 'pipe', workspace, { maxBytes: 1024 }))).toBe('env-file: "pipe" is not a regular file');
  });

  it('reads an absent optional file as undefined, and names an absent required one', async () => {
    expect(await readWorkspaceFile('config', 'none.yaml', workspace, { maxBytes: 10, optional: true })).toBeUndefined();
    expect(await refusal(readWorkspaceFile('config', 'none.yaml', workspace, { maxBytes: 10 }))).toBe('config: "none.yaml" not found in the workspace');
  });
});

describe('matching glob patterns in the workspace', () => {
  it('refuses a match whose real path leaves the workspace instead of skipping it', async () => {
    expect(await refusal(matchWorkspaceFiles('junit', ['reports/*.xml'], workspace))).toMatch(/^junit: "reports\/b\.xml" leads outside the workspace/);
  });

  it('refuses a symlinked folder leading outside as soon as it yields a file', async () => {
    expect(await refusal(matchWorkspaceFiles('sarif', ['reports/nested/**/passwd'], workspace))).toMatch(
      /^sarif: "reports\/nested\/etc\/(.*\/)?passwd" leads outside the workspace \(to \/etc\//,
    );
  });

  it.each([['/etc/*'], ['../*.txt'], ['/proc/self/environ'], ['reports/../../*']])('refuses the pattern %s, which searches outside', async (pattern) => {
    expect(await refusal(matchWorkspaceFiles('coverage', [pattern], workspace))).toBe(
      `coverage: pattern ${JSON.stringify(pattern)} searches outside the workspace; give patterns relative to ${workspace}`,
    );
  });

  it('matches inside, with exclusions', async () => {
    expect(await matchWorkspaceFiles('junit', ['reports/*.xml', '!reports/b.xml'], workspace)).toEqual([
      { file: 'reports/a.xml', real: path.join(workspace, 'reports/a.xml') },
    ]);
  });
});
