import { LineCounter, parseDocument, type YAMLError } from 'yaml';
import { ConfigurationError, errorMessage } from '../errors.ts';
import { atMost, firstLine } from '../message-bounds.ts';
import { allowedText, describeIssues } from './problems.ts';
import { devopsConfigSchema, type DevopsConfig } from './schema.ts';
import { locate, type Location } from './yaml-locations.ts';

interface Located extends Location {
  text: string;
}

/**
 * Parses and validates the text of a configuration file. `source` names the file in messages. An empty
 * file is the all-defaults configuration. Every problem found is reported at once, one line each,
 * as `file:line:column: key path: what is wrong`.
 */
export function parseConfig(text: string, source: string): DevopsConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  if (doc.errors.length > 0) throw problemsError(source, doc.errors.map(syntaxProblem));

  let data: unknown;
  try {
    data = doc.toJS() ?? {};
  } catch (error) {
    throw new ConfigurationError(`${source}: YAML error: ${firstLine(errorMessage(error))}`);
  }

  const result = devopsConfigSchema.safeParse(data, { reportInput: true, error: allowedText });
  if (result.success) return result.data;
  const problems = describeIssues(result.error.issues).map((problem) => ({
    ...locate(doc, lines, problem.path, problem.onKey),
    text: problem.text,
  }));
  throw problemsError(source, problems);
}

function syntaxProblem(error: YAMLError): Located {
  const { line, col } = error.linePos?.[0] ?? { line: 1, col: 1 };
  const reason =
    error.code === 'MULTIPLE_DOCS'
      ? 'the file holds more than one YAML document (---); keep one'
      : firstLine(error.message.split(/ at line \d+, column \d+/)[0]!);
  return { line, col, text: `YAML syntax error: ${reason}` };
}

function problemsError(source: string, problems: Located[]): ConfigurationError {
  const lines = problems.toSorted((a, b) => a.line - b.line || a.col - b.col).map(({ line, col, text }) => `${source}:${line}:${col}: ${text}`);
  if (lines.length === 1) return new ConfigurationError(lines[0]);
  return new ConfigurationError(
    `${source} has ${lines.length} problems:\n${atMost(lines)
      .map((line) => `  ${line}`)
      .join('\n')}`,
  );
}
