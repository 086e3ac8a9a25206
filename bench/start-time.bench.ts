/**
 * Start-time benchmark: how long a step that fails on its inputs takes, from `node` starting to its
 * exit, for each committed action stub, beside bare Node and an ncc bundle of `@actions/core` alone.
 *   node bench/start-time.bench.ts [--runs 20] [--dist dist] [--baseline <another dist/ copy>]
 * The bare bundle is built by this bench into a temp dir with the same ncc, flags and externals as
 * ours. Runs are interleaved (one of each, then again) so a load spike on the shared machine hits
 * every row alike; each row is the median of `--runs`. `--baseline` measures an older dist/ copy in the same run.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';
import { NCC_EXTERNAL_FLAGS } from '../scripts/ncc-externals.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const { values: args } = parseArgs({
  options: { runs: { type: 'string', default: '20' }, dist: { type: 'string', default: 'dist' }, baseline: { type: 'string' } },
});
const RUNS = Number(args.runs);

/**
 * Each action with inputs it fails on before doing any work: a missing required input where it has
 * one; else an invalid one (quality-gate), or the default Dockerfile missing (build-scan-image).
 */
const CASES: { action: string; label: string; inputs: Record<string, string> }[] = [
  { action: 'quality-gate', label: 'quality-gate', inputs: { 'max-severity': 'SEVERE' } },
  { action: 'build-scan-image', label: 'build-scan-image', inputs: {} },
  { action: 'deploy-blue-green', label: 'deploy-blue-green', inputs: {} },
  { action: 'deploy-canary', label: 'deploy-canary', inputs: {} },
  { action: 'health-check', label: 'health-check', inputs: {} },
  { action: 'rollback', label: 'rollback', inputs: {} },
  { action: 'main', label: 'root (no command)', inputs: {} },
];

interface Variant {
  name: string;
  args: string[];
  env: Record<string, string>;
  /** A run counts only when it fails as expected: exit 1 with an ::error:: line. */
  expectFailure: boolean;
  times: number[];
  error?: string;
}

const work = mkdtempSync(path.join(os.tmpdir(), 'sidhe-start-time-'));

function runnerEnv(inputs: Record<string, string>): Record<string, string> {
  const files = mkdtempSync(path.join(work, 'runner-'));
  const file = (name: string): string => {
    writeFileSync(path.join(files, name), '');
    return path.join(files, name);
  };
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? os.homedir(),
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: files,
    RUNNER_TEMP: files,
    GITHUB_OUTPUT: file('output'),
    GITHUB_STEP_SUMMARY: file('summary'),
    GITHUB_STATE: file('state'),
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  return env;
}

/** The action.yml defaults, as the runner passes them. */
function defaultsOf(action: string): Record<string, string> {
  const file = path.join(ROOT, action === 'main' ? '' : action, 'action.yml');
  const metadata = parse(readFileSync(file, 'utf8')) as { inputs?: Record<string, { default?: string }> };
  return Object.fromEntries(Object.entries(metadata.inputs ?? {}).flatMap(([k, v]) => (v.default === undefined ? [] : [[k, String(v.default)]])));
}

/** An ncc bundle of `@actions/core` alone that fails on a missing input, built as we build ours. */
function buildBareCoreBundle(): string {
  const dir = path.join(work, 'bare-core');
  mkdirSync(dir);
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(
    path.join(dir, 'entry.js'),
    "import * as core from '@actions/core';\ntry {\n  core.getInput('targets', { required: true });\n} catch (error) {\n  core.setFailed(error.message);\n}\n",
  );
  const ncc = path.join(ROOT, 'node_modules/@vercel/ncc/dist/ncc/cli.js');
  execFileSync(process.execPath, [ncc, 'build', 'entry.js', '-o', 'out', '--minify', '--quiet', ...NCC_EXTERNAL_FLAGS], { cwd: dir, stdio: 'inherit' });
  writeFileSync(path.join(dir, 'out', 'package.json'), '{ "type": "module" }\n');
  return path.join(dir, 'out', 'index.js');
}

function sizeOf(dir: string): number {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .reduce((sum, e) => sum + statSync(path.join(e.parentPath, e.name)).size, 0);
}

function actionVariants(dist: string, tag: string): Variant[] {
  return CASES.map(({ action, label, inputs }) => ({
    name: `${label}${tag}`,
    args: [path.join(dist, action, 'index.js')],
    env: runnerEnv({ ...defaultsOf(action), ...inputs }),
    expectFailure: true,
    times: [],
  }));
}

const dist = path.resolve(ROOT, args.dist);
const baseline = args.baseline ? path.resolve(args.baseline) : undefined;
const bare = buildBareCoreBundle();
const variants: Variant[] = [
  { name: 'node -e 0', args: ['-e', '0'], env: runnerEnv({}), expectFailure: false, times: [] },
  { name: '@actions/core bundle', args: [bare], env: runnerEnv({}), expectFailure: true, times: [] },
  ...actionVariants(dist, ''),
  ...(baseline ? actionVariants(baseline, ' (baseline)') : []),
];

function once(v: Variant): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, v.args, { env: v.env, cwd: v.env.GITHUB_WORKSPACE, encoding: 'utf8' });
  const ms = performance.now() - started;
  const error = /^::error::(.*)$/m.exec(result.stdout)?.[1];
  if (v.expectFailure ? result.status !== 1 || !error : result.status !== 0) {
    throw new Error(`${v.name}: exit ${result.status}, expected ${v.expectFailure ? '1 with an ::error:: line' : '0'}\n${result.stdout}${result.stderr}`);
  }
  v.error = error;
  return ms;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

try {
  for (const v of variants) once(v); // warm the file cache; not counted
  for (let run = 0; run < RUNS; run++) for (const v of variants) v.times.push(once(v));
} finally {
  rmSync(work, { recursive: true, force: true });
}

const coreMs = median(variants[1]!.times);
const rows = variants.map((v) => ({
  name: v.name,
  medianMs: Math.round(median(v.times)),
  minMs: Math.round(Math.min(...v.times)),
  ratioToCore: +(median(v.times) / coreMs).toFixed(2),
  failsWith: v.error?.slice(0, 70) ?? '',
}));
const actions = rows.filter((r) => !r.name.endsWith('(baseline)')).slice(2);
const results = {
  runs: RUNS,
  node: process.version,
  rows,
  worstRatio: Math.max(...actions.map((r) => r.ratioToCore)),
  distBytes: sizeOf(dist),
  ...(baseline ? { baselineDistBytes: sizeOf(baseline) } : {}),
};
console.table(Object.fromEntries(rows.map(({ name, ...rest }) => [name, rest])));
console.log(
  `worst action / @actions/core bundle: ${results.worstRatio}×; dist/ ${(results.distBytes / 1024).toFixed(0)} kB${baseline ? `, baseline ${(results.baselineDistBytes! / 1024).toFixed(0)} kB` : ''}`,
);
await writeFile(new URL('./results/start-time.json', import.meta.url), `${JSON.stringify({ ...results, at: new Date().toISOString() }, null, 2)}\n`);
