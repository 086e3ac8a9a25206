import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { cli } from './cli.ts';
import { COMMAND_NAMES } from './registry.ts';

function capture(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  return { stream, text: () => text };
}

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = capture();
  const err = capture();
  const code = await cli(argv, { out: out.stream, err: err.stream });
  return { code, out: out.text(), err: err.text() };
}

describe('sidhe-devops CLI', () => {
  it('lists the six actions', async () => {
    const { code, out } = await run('--help');
    expect(code).toBe(0);
    for (const name of COMMAND_NAMES) expect(out).toContain(`  ${name}`);
  });

  it("prints an action's inputs with defaults", async () => {
    const { code, out } = await run('health-check', '--help');
    expect(code).toBe(0);
    expect(out).toContain('--timeout (default 5m)');
    expect(out).toContain('--targets\n');
    expect(out).toContain('--scope (default targets)');
    expect((await run('rollback', '--help')).out).toContain('--app (required)');
  });

  it('refuses an unknown action, listing the six', async () => {
    const { code, err } = await run('deploi');
    expect(code).toBe(2);
    expect(err).toContain(`input command must name one of: ${COMMAND_NAMES.join(', ')}; "deploi" is not one of them`);
  });

  it('refuses an unknown flag, listing the inputs', async () => {
    const { code, err } = await run('health-check', '--target', 'http://x');
    expect(code).toBe(2);
    expect(err).toContain('health-check has no input target; its inputs: targets, scope, app, environment, since, timeout,');
  });

  it('lists the commands that are not actions', async () => {
    const { out } = await run('--help');
    expect(out).toContain('  logs    the merged logs of every colour of a release');
    expect((await run('logs', '--help')).out).toContain('usage: sidhe-devops logs <app> <environment>');
    const bad = await run('logs', 'shop');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('logs: give an app and an environment');
  });

  it('fails a canary with a bad input before touching anything', async () => {
    const { code, err } = await run(
      'deploy-canary',
      '--app',
      'shop',
      '--environment',
      'production',
      '--image',
      'shop:2',
      '--router',
      'haproxy',
      '--router-endpoint',
      'unix:///nowhere.sock',
      '--steps',
      '10,5,100',
    );
    expect(code).toBe(1);
    expect(err).toContain('deploy-canary failed: steps: "10,5,100" is not valid; 5 does not go above 10;');
  });
});
