import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { cli } from '../cli.ts';
import { initCommand } from './init-command.ts';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function repo(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'wt-workflows-init-'));
  dirs.push(dir);
  return dir;
}

/** `answers`: typed one by one, each after a prompt appears, as a person would. */
async function init(cwd: string, args: string[], stdin: PassThrough & { isTTY?: boolean } = new PassThrough(), answers: string[] = []) {
  let out = '';
  let err = '';
  const sink = (add: (s: string) => void) => new Writable({ write: (c, _e, done) => (add(String(c)), done()) });
  const typed = [...answers];
  const onOut = (s: string): void => {
    out += s;
    if (s.endsWith(']: ') && typed.length > 0) setImmediate(() => stdin.write(`${typed.shift()}\n`));
  };
  const code = await initCommand(args, { out: sink(onOut), err: sink((s) => (err += s)) }, { cwd, stdin });
  return { code, out, err };
}

const FLAGS = ['--app', 'shop', '--registry', 'ghcr.io', '--environments', 'staging,production', '--strategy', 'canary'];

describe('sidhe-devops init', () => {
  it('writes the files once; a second run with the same answers changes nothing', async () => {
    const cwd = repo();
    const first = await init(cwd, FLAGS);
    expect(first.code).toBe(0);
    expect(first.out).toContain('create    .sidhe/devops.yaml');
    expect(readFileSync(path.join(cwd, '.github/workflows/sidhe-deploy.yml'), 'utf8')).toContain('production-strategy: canary');
    const second = await init(cwd, FLAGS);
    expect(second.code).toBe(0);
    expect(
      second.out
        .trim()
        .split('\n')
        .every((line) => line.trim().startsWith('unchanged')),
    ).toBe(true);
  });

  it('never overwrites an edited file without --force', async () => {
    const cwd = repo();
    await init(cwd, FLAGS);
    const config = path.join(cwd, '.sidhe/devops.yaml');
    writeFileSync(config, 'devops_automator: {}\n');
    const refused = await init(cwd, [...FLAGS.slice(0, -1), 'blue-green']);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('.sidhe/devops.yaml, .github/workflows/sidhe-deploy.yml already exist with other content; nothing was written');
    expect(readFileSync(config, 'utf8')).toBe('devops_automator: {}\n');
    expect(readFileSync(path.join(cwd, '.github/workflows/sidhe-deploy.yml'), 'utf8')).toContain('canary');
    const forced = await init(cwd, [...FLAGS.slice(0, -1), 'blue-green', '--force']);
    expect(forced.code).toBe(0);
    expect(readFileSync(config, 'utf8')).toContain('strategy: blue_green');
  });

  it('asks for what is missing only in a terminal', async () => {
    const cwd = repo();
    const piped = await init(cwd, ['--strategy', 'canary']);
    expect(piped.code).toBe(2);
    expect(piped.err).toContain('init needs --app when not run in a terminal');

    const tty = Object.assign(new PassThrough(), { isTTY: true });
    const asked = await init(cwd, ['--strategy', 'canary'], tty, ['shop', '', '']);
    expect(asked.code).toBe(0);
    expect(asked.out).toContain('Application name [');
    expect(asked.out).not.toContain('Production strategy');
    expect(readFileSync(path.join(cwd, '.github/workflows/sidhe-deploy.yml'), 'utf8')).toContain('app: shop');
  });

  it('--check passes on what init wrote and names what no longer fits', async () => {
    const cwd = repo();
    await init(cwd, FLAGS);
    expect((await init(cwd, ['--check'])).code).toBe(0);
    const workflow = path.join(cwd, '.github/workflows/sidhe-operations.yml');
    writeFileSync(workflow, readFileSync(workflow, 'utf8').replace('      reason: ${{ inputs.reason }}', '      why: ${{ inputs.reason }}'));
    writeFileSync(path.join(cwd, '.sidhe/devops.yaml'), 'devops_automator:\n  canary: {}\n');
    const check = await init(cwd, ['--check']);
    expect(check.code).toBe(1);
    expect(check.out).toContain('.sidhe/devops.yaml, 3 workflow(s): 2 problem(s)');
    expect(check.out).toMatch(/\.sidhe\/devops\.yaml:2:3: .*canary/);
    expect(check.out).toMatch(/\.github\/workflows\/sidhe-operations\.yml:\d+:7: sidhe\/devops\/\.github\/workflows\/deploy\.yml has no input why/);
  });

  it('is a command of the CLI', async () => {
    const out = new PassThrough();
    expect(await cli(['init', '--help'], { out, err: new PassThrough() })).toBe(0);
    expect(String(out.read())).toContain('sidhe-devops init [--app NAME]');
  });
});
