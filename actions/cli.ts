import { ConfigurationError, errorMessage } from '../packages/core/errors.ts';
import type { ActionDefinition } from '../packages/runtime/action-definition.ts';
import { runAction } from '../packages/runtime/run-action.ts';
import { terminalIO } from '../packages/runtime/terminal-io.ts';
import { resolveCommand } from './entry.ts';
import { COMMANDS } from './registry.ts';

const USAGE = 'usage: sidhe-devops <action> [--<input> <value>]... [--verbose]   (sidhe-devops <action> --help lists its inputs)';

interface Streams {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
}

function overview(): string {
  const width = Math.max(...COMMANDS.map((a) => a.definition.name.length));
  const lines = COMMANDS.map(({ definition: d }) => `  ${d.name.padEnd(width)}  ${d.description}`);
  const more = [
    "  status --watch [--refresh 30s] [--count N]   redraws the status every refresh (default: the dashboards' refresh_interval)",
    '  events  the event bus, live (sidhe-devops events --help)',
    '  logs    the merged logs of every colour of a release (sidhe-devops logs --help)',
    '  init    writes .sidhe/devops.yaml and the caller workflows; init --check reports what no longer fits (sidhe-devops init --help)',
  ];
  return [USAGE, '', 'actions:', ...lines, '', 'other commands:', ...more, ''].join('\n');
}

function actionHelp(d: ActionDefinition): string {
  const inputs = Object.entries(d.inputs).map(([name, spec]) => {
    const notes = [spec.required ? 'required' : '', spec.default ? `default ${spec.default}` : ''].filter(Boolean);
    return `  --${name}${notes.length ? ` (${notes.join(', ')})` : ''}\n      ${spec.description}`;
  });
  const outputs = Object.entries(d.outputs).map(([name, spec]) => `  ${name}: ${spec.description}`);
  return [`sidhe-devops ${d.name}: ${d.description}`, '', 'inputs (repeat a flag to give several lines):', ...inputs, '', 'outputs:', ...outputs, ''].join(
    '\n',
  );
}

/** `--name value`, `--name=value`; a repeated flag adds a line, as a multi-line workflow input would. */
function parseFlags(definition: ActionDefinition, args: readonly string[]): { inputs: Map<string, string>; verbose: boolean } {
  const inputs = new Map<string, string>();
  let verbose = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--verbose') {
      verbose = true;
      continue;
    }
    const match = /^--([a-z0-9-]+)(?:=(.*))?$/s.exec(arg);
    if (!match) throw new ConfigurationError(`unexpected argument ${JSON.stringify(arg)}; ${USAGE}`);
    const name = match[1]!;
    if (!(name in definition.inputs)) {
      throw new ConfigurationError(`${definition.name} has no input ${name}; its inputs: ${Object.keys(definition.inputs).join(', ')}`);
    }
    const value = match[2] ?? args[++i];
    if (value === undefined) throw new ConfigurationError(`--${name} needs a value`);
    inputs.set(name, inputs.has(name) ? `${inputs.get(name)}\n${value}` : value);
  }
  return { inputs, verbose };
}

/** The command line door onto the same action code the runner executes. Returns the exit code. */
export async function cli(argv: readonly string[], streams: Streams = { out: process.stdout, err: process.stderr }): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    streams.out.write(overview());
    return name === undefined ? 2 : 0;
  }
  if (name === 'events') return (await import('./events-command.ts')).eventsCommand(rest, streams);
  if (name === 'logs') return (await import('./logs-command.ts')).logsCommand(rest, streams);
  if (name === 'init') return (await import('./init/init-command.ts')).initCommand(rest, streams, { cwd: process.cwd(), stdin: process.stdin });
  try {
    const action = resolveCommand(name);
    if (rest.includes('--help') || rest.includes('-h')) {
      streams.out.write(actionHelp(action.definition));
      return 0;
    }
    if (name === 'status' && rest.includes('--watch')) {
      const { takeWatchFlags, watchStatus } = await import('./status/watch.ts');
      const { watch, rest: flags } = takeWatchFlags(rest);
      return await watchStatus(parseFlags(action.definition, flags).inputs, watch, streams);
    }
    const { inputs, verbose } = parseFlags(action.definition, rest);
    const run = terminalIO(inputs, { ...streams, verbose });
    await runAction(name, action.main, run.io, action.definition);
    if (run.outputs.size > 0) {
      streams.out.write(`outputs:\n${[...run.outputs].map(([k, v]) => `  ${k}=${v}`).join('\n')}\n`);
    }
    return run.failed() ? 1 : 0;
  } catch (error) {
    streams.err.write(`error: ${errorMessage(error)}\n`);
    return 2;
  }
}
