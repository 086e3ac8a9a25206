// The CLI door of `sidhe-devops init`: flags or prompts in, files out. The decisions are in init-plan.ts
// and init-check.ts.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { ConfigurationError, errorMessage } from '../../packages/core/errors.ts';
import { DEFAULT_CONFIG_PATH } from '../../packages/core/config/default-path.ts';
import { loadCatalog, suiteRoot } from './action-catalog.ts';
import { checkConfigText, checkWorkflowText } from './init-check.ts';
import { checkAnswers, conflictError, initFiles, planInit, type InitAnswers } from './init-plan.ts';

export const INIT_USAGE =
  'usage: sidhe-devops init [--app NAME] [--registry HOST] [--environments staging,production] [--strategy blue-green|canary] [--force]\n' +
  '       sidhe-devops init --check   (reports configuration keys and workflow inputs this version no longer knows)\n';

interface Streams {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
}

export interface InitContext {
  cwd: string;
  /** Prompts for missing answers only when this is a terminal. */
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
}

const DEFAULTS: Omit<InitAnswers, 'app'> = { registry: 'ghcr.io', environments: 'staging,production', strategy: 'blue-green' };
const QUESTIONS: Record<keyof InitAnswers, string> = {
  app: 'Application name',
  registry: 'Registry host',
  environments: 'Environments, deployed in this order',
  strategy: 'Production strategy (blue-green or canary)',
};

function parseInitFlags(args: readonly string[]): { given: Partial<InitAnswers>; force: boolean; check: boolean } {
  const given: Partial<InitAnswers> = {};
  let force = false;
  let check = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--force') force = true;
    else if (arg === '--check') check = true;
    else {
      const match = /^--(app|registry|environments|strategy)(?:=(.*))?$/s.exec(arg);
      if (!match) throw new ConfigurationError(`init: unexpected argument ${JSON.stringify(arg)}\n${INIT_USAGE}`);
      const value = match[2] ?? args[++i];
      if (value === undefined) throw new ConfigurationError(`--${match[1]} needs a value`);
      given[match[1] as keyof InitAnswers] = value;
    }
  }
  return { given, force, check };
}

async function complete(given: Partial<InitAnswers>, ctx: InitContext, streams: Streams): Promise<InitAnswers> {
  const defaults: InitAnswers = { app: path.basename(ctx.cwd), ...DEFAULTS };
  const missing = (Object.keys(QUESTIONS) as (keyof InitAnswers)[]).filter((k) => given[k] === undefined);
  if (missing.length === 0) return given as InitAnswers;
  if (!ctx.stdin.isTTY) {
    if (given.app === undefined) throw new ConfigurationError(`init needs --app when not run in a terminal\n${INIT_USAGE}`);
    return { ...defaults, ...given };
  }
  const prompt = createInterface({ input: ctx.stdin, output: streams.out });
  try {
    const answers = { ...given };
    for (const key of missing) answers[key] = (await prompt.question(`${QUESTIONS[key]} [${defaults[key]}]: `)).trim() || defaults[key];
    return answers as InitAnswers;
  } finally {
    prompt.close();
  }
}

function read(file: string): string | undefined {
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

function runCheck(ctx: InitContext, streams: Streams): number {
  const catalog = loadCatalog(suiteRoot(import.meta.dirname));
  const config = read(path.join(ctx.cwd, DEFAULT_CONFIG_PATH));
  const problems = config === undefined ? [] : checkConfigText(config, DEFAULT_CONFIG_PATH);
  const dir = path.join(ctx.cwd, '.github', 'workflows');
  const workflows = existsSync(dir)
    ? readdirSync(dir)
        .filter((n) => /\.ya?ml$/.test(n))
        .sort()
    : [];
  for (const name of workflows) {
    const file = `.github/workflows/${name}`;
    problems.push(...checkWorkflowText(readFileSync(path.join(ctx.cwd, file), 'utf8'), file, catalog));
  }
  const looked = `${config === undefined ? 'no configuration file' : DEFAULT_CONFIG_PATH}, ${workflows.length} workflow(s)`;
  if (problems.length === 0) {
    streams.out.write(`init --check: ${looked}: everything fits this version\n`);
    return 0;
  }
  streams.out.write(`init --check: ${looked}: ${problems.length} problem(s)\n${problems.map((p) => `  ${p}\n`).join('')}`);
  return 1;
}

/** Returns the exit code: 0 done, 1 --check found problems, 2 a usage error or a file in the way. */
export async function initCommand(args: readonly string[], streams: Streams, ctx: InitContext): Promise<number> {
  try {
    if (args.includes('--help') || args.includes('-h')) {
      streams.out.write(INIT_USAGE);
      return 0;
    }
    const { given, force, check } = parseInitFlags(args);
    if (check) return runCheck(ctx, streams);
    const answers = checkAnswers(await complete(given, ctx, streams));
    const plan = planInit(initFiles(answers), (file) => read(path.join(ctx.cwd, file)), force);
    const conflict = conflictError(plan);
    if (conflict) throw conflict;
    for (const file of plan) {
      if (file.action === 'create' || file.action === 'overwrite') {
        const target = path.join(ctx.cwd, file.path);
        mkdirSync(path.dirname(target), { recursive: true });
        writeFileSync(target, file.text);
      }
      streams.out.write(`  ${file.action.padEnd(9)} ${file.path}\n`);
    }
    return 0;
  } catch (error) {
    streams.err.write(`error: ${errorMessage(error)}\n`);
    return 2;
  }
}
