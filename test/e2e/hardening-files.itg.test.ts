import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBundle, type BundleRun } from '../harness/run-bundle.ts';
import { freePort } from '../support/local-servers.ts';

/**
 * Issue 9, through the committed bundles as the runner runs them: files the actions read stay inside
 * the workspace, errors about files quote no content, inputs are bounded, user errors are reported
 * as such, and report text cannot forge Markdown or workflow commands.
 */

const MARKER = 'SIDHE-HARDENING-MARKER-4c1e9b';
const base = mkdtempSync(path.join(os.tmpdir(), 'sidhe-hardening-'));
const OUTSIDE = path.join(base, 'outside', 'secret.txt');
// The bundle's own environment holds the marker, so /proc/self/environ read by the action would show it.
const ENV = { SIDHE_HARDENING_SECRET: MARKER };

/** Everything the run put anywhere a user or a later step could read. */
const everything = (run: BundleRun): string => [run.stdout, run.stderr, run.summary, JSON.stringify(run.outputs), JSON.stringify(run.state)].join('\n');

/** A workspace holding links that lead outside it, plus what each action needs to get as far as reading the file. */
function workspace(): string {
  const dir = mkdtempSync(path.join(base, 'ws-'));
  mkdirSync(path.join(dir, 'links'));
  symlinkSync(OUTSIDE, path.join(dir, 'links', 'outside.xml'));
  symlinkSync('/proc/self/environ', path.join(dir, 'links', 'environ.xml'));
  symlinkSync('/etc/passwd', path.join(dir, 'links', 'passwd.xml'));
  writeFileSync(path.join(dir, 'Dockerfile'), 'FROM scratch\n');
  return dir;
}

const deploy = { app: 'hardening', environment: 'itg', image: 'hardening/app:1', router: 'haproxy', 'router-endpoint': 'tcp://127.0.0.1:9' };

/** Each input that names a file: the action, the inputs that put `given` there, and how the error names it. */
const INPUTS: [string, string, (given: string) => Record<string, string>, string][] = [
  ['config', 'health-check', (given) => ({ targets: 'http://127.0.0.1:9/', config: given }), 'config'],
  ['ignore-file', 'build-scan-image', (given) => ({ tags: 'x/y:1', scan: 'true', scanners: 'secret', 'ignore-file': given }), 'ignore-file'],
  ['junit', 'quality-gate', (given) => ({ junit: given }), 'junit'],
  ['coverage', 'quality-gate', (given) => ({ coverage: given }), 'coverage'],
  ['sarif', 'quality-gate', (given) => ({ sarif: given }), 'sarif'],
  ['quality-gates junit', 'deploy-blue-green', (given) => ({ ...deploy, 'quality-gates': `junit: ${JSON.stringify(given)}` }), 'quality-gates: junit'],
  ['env-file', 'deploy-blue-green', (given) => ({ ...deploy, 'env-file': given }), 'env-file'],
];

const PATHS: [string, () => string][] = [
  ['an absolute path outside', () => OUTSIDE],
  ['a ../ escape', () => `../outside/secret.txt`],
  ['a symlink to a file outside', () => 'links/outside.xml'],
  ['a symlink to /proc/self/environ', () => 'links/environ.xml'],
];

const CASES = [
  ...INPUTS.flatMap(([name, action, inputs, label]) => PATHS.map(([kind, given]) => [name, kind, action, inputs, label, given] as const)),
  ...INPUTS.slice(0, 1).map(([name, action, inputs, label]) => [name, 'a symlink to /etc/passwd', action, inputs, label, () => 'links/passwd.xml'] as const),
];

beforeAll(() => {
  mkdirSync(path.dirname(OUTSIDE));
  // Reads as a report of each kind and as YAML, so only the path check stands between it and the output.
  writeFileSync(OUTSIDE, `TN:\nSF:${MARKER}\nDA:1,1\nend_of_record\n# ${MARKER}\n`);
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('files the actions read stay inside the workspace', () => {
  it.concurrent.each(CASES)('%s: %s is refused naming the input and the path, showing nothing of the file', async (_, __, action, inputs, label, given) => {
    const ws = workspace();
    const run = await runBundle(action, inputs(given()), { workspace: ws, env: ENV, timeoutMs: 30_000 });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(
      new RegExp(
        `^${action} failed: ${label}: (pattern )?${JSON.stringify(given()).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} (is outside|leads outside|searches outside) the workspace`,
      ),
    );
    expect(everything(run)).not.toContain(MARKER);
    expect(everything(run)).not.toContain('root:x:0:0');
  });
});

describe('inputs are bounded', () => {
  it('a configuration file over 256 kB is refused before parsing, saying its size and the limit', async () => {
    const ws = workspace();
    writeFileSync(path.join(ws, 'big.yaml'), `# ${'x'.repeat(300 * 1024)}\n`);
    const run = await runBundle('health-check', { targets: 'http://127.0.0.1:9/', config: 'big.yaml' }, { workspace: ws });
    expect(run.errors).toEqual(['health-check failed: config: "big.yaml" is 300 kB; the limit is 256 kB']);
  });

  it('a configuration file that is not one shows at most 20 problems and no value', async () => {
    const ws = workspace();
    writeFileSync(path.join(ws, 'keys.yaml'), Array.from({ length: 60 }, (_, i) => `TOKEN_${i}: ${MARKER}\n`).join(''));
    const run = await runBundle('health-check', { targets: 'http://127.0.0.1:9/', config: 'keys.yaml' }, { workspace: ws });
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]!.split('\n')).toHaveLength(22);
    expect(run.errors[0]).toMatch(/^health-check failed: keys\.yaml has 60 problems:\n/);
    expect(run.errors[0]).toContain('\n  … and 40 more');
    expect(everything(run)).not.toContain(MARKER);
  });

  const junit = (tests: number): string =>
    `<?xml version="1.0"?>\n<testsuites>\n<testsuite name="big" tests="${tests}">\n${Array.from({ length: tests }, (_, i) => `<testcase classname="suite.case${i}" name="does thing number ${i} correctly" time="0.001"/>\n`).join('')}</testsuite>\n</testsuites>\n`;

  it('an lcov report just under 50 MB passes in bounded time', async () => {
    const ws = workspace();
    const record = (i: number): string =>
      `SF:src/module-${i}.ts\n${Array.from({ length: 40 }, (_, line) => `DA:${line + 1},${line % 5}`).join('\n')}\nLF:40\nLH:32\nend_of_record\n`;
    const text = `TN:\n${Array.from({ length: 142_000 }, (_, i) => record(i)).join('')}`;
    expect(text.length).toBeGreaterThan(48 * 1024 * 1024);
    expect(text.length).toBeLessThan(50 * 1024 * 1024);
    writeFileSync(path.join(ws, 'lcov.info'), text);
    // Bounded time is the harness's own limit: a run past it is killed and fails here. Speed is bench/'s.
    const run = await runBundle('quality-gate', { coverage: 'lcov.info' }, { workspace: ws, timeoutMs: 90_000 });
    expect(run.outputs.passed).toBe('true');
    expect(run.exitCode).toBe(0);
  }, 120_000);

  it('a JUnit report over 50 MB is refused before it is read, saying its size and the limit', async () => {
    const ws = workspace();
    writeFileSync(path.join(ws, 'huge.xml'), junit(560_000));
    const run = await runBundle('quality-gate', { junit: 'huge.xml' }, { workspace: ws });
    expect(run.errors).toEqual([expect.stringMatching(/^quality-gate failed: junit: "huge\.xml" is 5\d\.\d MB; the limit is 50 MB$/)]);
  }, 30_000);
});

describe('user errors are reported as user errors', () => {
  let garbage: Server;
  let port: number;
  beforeAll(async () => {
    port = await freePort();
    // Something that is not HAProxy: answers every connection with a web server's refusal.
    garbage = createServer((socket) => socket.end(`HTTP/1.1 400 Bad Request\r\n\r\n<html>${MARKER}</html>`));
    await new Promise<void>((resolve) => garbage.listen(port, '127.0.0.1', resolve));
  });
  afterAll(() => garbage.close());

  it('an XML entity in a JUnit report names the report', async () => {
    const ws = workspace();
    writeFileSync(
      path.join(ws, 'evil.xml'),
      `<?xml version="1.0"?><!DOCTYPE t [<!ENTITY x SYSTEM "file:///etc/passwd">]><testsuites><testsuite name="s"><testcase name="&x;"/></testsuite></testsuites>`,
    );
    const run = await runBundle('quality-gate', { junit: 'evil.xml' }, { workspace: ws });
    expect(run.errors).toEqual([
      "quality-gate failed: junit report evil.xml is not well-formed XML (line 1, column 124): Named entity isn't defined: &x; (entities in a DOCTYPE are not read)",
    ]);
  });

  it('a timeframe too long for a date names the input and the maximum', async () => {
    const run = await runBundle('', { command: 'metrics', timeframe: '999999999d', 'events-redis-url': 'redis://127.0.0.1:16379' });
    expect(run.errors).toEqual(['metrics failed: timeframe: "999999999d" is not valid; use at most 36500d']);
  });

  it('a router endpoint that is not HAProxy names router-endpoint and quotes only the start of the answer', async () => {
    const rollback = await runBundle(
      'rollback',
      { app: 'hardening', environment: 'itg', router: 'haproxy', 'router-endpoint': `tcp://127.0.0.1:${port}` },
      { env: { DOCKER_HOST: process.env.DOCKER_HOST ?? 'unix:///run/sidhe-docker.sock' }, timeoutMs: 60_000 },
    );
    expect(rollback.exitCode).toBe(1);
    expect(rollback.errors).toEqual([
      expect.stringMatching(
        /^rollback failed: router-endpoint: what listens there is not HAProxy's runtime API: asked "show servers state[^"]*", it answered "HTTP\/1\.1 400 Bad Request/,
      ),
    ]);
    expect(everything(rollback)).not.toContain(MARKER);
    expect(everything(rollback)).not.toContain('a bug in sidhe/devops');
  }, 60_000);
});

describe('text from reports is escaped', () => {
  it('a JUnit report cannot forge Markdown in the summary, nor annotations and commands in the log', async () => {
    const ws = workspace();
    mkdirSync(path.join(ws, 'src'));
    writeFileSync(path.join(ws, 'src', 'a.test.ts'), '\n');
    const name = '# Approved\n[click](https://evil.example) ![x](https://evil.example/x.png) <img src=x>';
    const message = 'expected 1\n::error file=src/a.test.ts::FORGED-ANNOTATION\n## Deploy approved';
    writeFileSync(
      path.join(ws, 'junit.xml'),
      `<testsuites><testsuite name="s" tests="1" failures="1"><testcase name="${name.replace(/</g, '&lt;').replace(/\n/g, '&#10;')}" file="src/a.test.ts" line="1"><failure message="m">${message}</failure></testcase></testsuite></testsuites>`,
    );
    writeFileSync(
      path.join(ws, 'lint.sarif'),
      JSON.stringify({ version: '2.1.0', runs: [{ tool: { driver: { name: 'lint\n::warning::FORGED-COMMAND\n##[error]FORGED-LEGACY' } }, results: [] }] }),
    );
    const run = await runBundle('quality-gate', { junit: 'junit.xml', sarif: 'lint.sarif' }, { workspace: ws });
    expect(run.outputs.passed).toBe('false');
    expect(run.summary).not.toMatch(/^#+ (Approved|Deploy approved)/m);
    expect(run.summary).not.toMatch(/(?<!\\)\[click\]\(/);
    expect(run.summary).not.toMatch(/<img|!\[x\]\(/);
    expect(run.summary).toContain('Approved<br>\\[click\\](https://evil.example) !\\[x\\](https://evil.example/x.png) &lt;img src=x>');
    expect([...run.errors, ...run.warnings].filter((text) => /FORGED/.test(text) && !/\n/.test(text))).toEqual([]);
    const commandLines = run.stdout.split('\n').filter((line) => /^\s*::|##\[/.test(line) && /FORGED/.test(line));
    expect(commandLines.every((line) => line.startsWith('::error ') && line.includes('%0A::error'))).toBe(true);
  });
});
