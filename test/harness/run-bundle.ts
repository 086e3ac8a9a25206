import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { runCommand } from '../../packages/adapters/process/run-command.ts';
import { parseRunnerFile } from './runner-files.ts';

const repo = path.resolve(import.meta.dirname, '../..');

export interface BundleRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  state: Record<string, string>;
  /** Lines the runner would show as `::error::`, `::warning::` annotations. */
  errors: string[];
  warnings: string[];
}

export interface BundleOptions {
  /** Extra environment (DOCKER_HOST, GITHUB_TOKEN, ...). */
  env?: Record<string, string>;
  /** GITHUB_WORKSPACE and the working directory; a fresh temp dir by default. */
  workspace?: string;
  timeoutMs?: number;
  /** SIGKILLs the action once its stdout matches, as a runner dying mid-step would. */
  killWhenStdout?: RegExp;
}

interface ActionYaml {
  inputs?: Record<string, { default?: string }>;
  runs: { using: string; main: string };
}

/**
 * Runs a committed action exactly as GitHub's runner does: `node <runs.main>` from the action.yml, with
 * the action.yml defaults and the given inputs as INPUT_* variables, fresh GITHUB_OUTPUT,
 * GITHUB_STEP_SUMMARY and GITHUB_STATE files, and nothing else of this process's environment but PATH
 * and HOME. `action` is a folder name (`health-check`) or '' for the root action.
 */
export async function runBundle(action: string, inputs: Record<string, string>, options: BundleOptions = {}): Promise<BundleRun> {
  const actionDir = path.join(repo, action);
  const metadata = parse(readFileSync(path.join(actionDir, 'action.yml'), 'utf8')) as ActionYaml;
  const files = mkdtempSync(path.join(os.tmpdir(), 'sidhe-runner-'));
  const workspace = options.workspace ?? mkdtempSync(path.join(os.tmpdir(), 'sidhe-workspace-'));
  const file = (name: string): string => {
    const p = path.join(files, name);
    writeFileSync(p, '');
    return p;
  };
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? os.homedir(),
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_WORKSPACE: workspace,
    RUNNER_TEMP: files,
    GITHUB_OUTPUT: file('output'),
    GITHUB_STEP_SUMMARY: file('summary'),
    GITHUB_STATE: file('state'),
    GITHUB_ENV: file('env'),
    GITHUB_PATH: file('path'),
    ...options.env,
  };
  const given = { ...defaultsOf(metadata), ...inputs };
  for (const [name, value] of Object.entries(given)) env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;

  const killer = new AbortController();
  let seen = '';
  const result = await runCommand(process.execPath, [path.join(actionDir, metadata.runs.main)], {
    env,
    cwd: workspace,
    timeoutMs: options.timeoutMs ?? 300_000,
    signal: killer.signal,
    onStdout: (chunk) => {
      seen += chunk;
      if (options.killWhenStdout?.test(seen)) killer.abort();
    },
  });
  const commands = (kind: string): string[] =>
    result.stdout
      .split('\n')
      .filter((line) => line.startsWith(`::${kind}`))
      .map((line) => unescapeCommandData(line.slice(line.indexOf('::', 2) + 2)));
  return {
    exitCode: result.exitCode,
    stdout: result.stdout,
    stderr: result.stderr,
    outputs: parseRunnerFile(readFileSync(env.GITHUB_OUTPUT!, 'utf8')),
    summary: readFileSync(env.GITHUB_STEP_SUMMARY!, 'utf8'),
    state: parseRunnerFile(readFileSync(env.GITHUB_STATE!, 'utf8')),
    errors: commands('error'),
    warnings: commands('warning'),
  };
}

/** The runner fills in action.yml defaults; expressions like `${{ github.token }}` evaluate to ''. */
function defaultsOf(metadata: ActionYaml): Record<string, string> {
  return Object.fromEntries(
    Object.entries(metadata.inputs ?? {})
      .filter(([, spec]) => spec.default !== undefined)
      .map(([name, spec]) => [name, spec.default!.includes('${{') ? '' : spec.default!]),
  );
}

/** Workflow command data escapes %, CR and LF (as @actions/core writes them); the runner undoes it. */
function unescapeCommandData(data: string): string {
  return data.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}
