import type { ActionIO } from './action-io.ts';
import { redactingIO } from './redacting-io.ts';
import { runContextFrom } from './run-context.ts';
import { printableLines } from './terminal-text.ts';
import { renderTerminal } from './summary/terminal.ts';

export interface TerminalRun {
  io: ActionIO;
  outputs: Map<string, string>;
  failed(): boolean;
}

/**
 * The CLI's side of ActionIO: inputs come from flags, the summary is printed as text, outputs are
 * collected for the caller to print; redactingIO masks every secret in all of them.
 */
export function terminalIO(
  inputs: ReadonlyMap<string, string>,
  streams: { out: NodeJS.WritableStream; err: NodeJS.WritableStream; verbose?: boolean },
): TerminalRun {
  // Report text, release logs and events reach the terminal here: no escape sequence gets through.
  const write = (stream: NodeJS.WritableStream, text: string): void => void stream.write(`${printableLines(text)}\n`);
  const outputs = new Map<string, string>();
  let failed = false;
  const io = redactingIO({
    getInput: (name) => (inputs.get(name) ?? '').trim(),
    setOutput: (name, value) => void outputs.set(name, value),
    setSecret: () => {},
    log: {
      debug: (message) => {
        if (streams.verbose) write(streams.err, `debug: ${message}`);
      },
      info: (message) => write(streams.err, message),
      warning: (message) => write(streams.err, `warning: ${message}`),
      error: (message) => write(streams.err, `error: ${message}`),
    },
    async writeSummary(doc) {
      write(streams.out, `\n${renderTerminal(doc)}`);
    },
    annotate: ({ level, message, file, line }) => {
      const where = file ? `${file}${line ? `:${line}` : ''}: ` : '';
      write(streams.err, `${where}${level}: ${message}`);
    },
    fail: (message) => {
      failed = true;
      write(streams.err, `error: ${message}`);
    },
    context: runContextFrom(process.env),
  });
  return { io, outputs, failed: () => failed };
}
