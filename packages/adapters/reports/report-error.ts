import { ConfigurationError } from '../../core/errors.ts';

/** A report the suite cannot read: the user's to fix, so it names the file and what is wrong with it. */
export function reportError(kind: string, file: string, problem: string): ConfigurationError {
  return new ConfigurationError(`${kind} report ${file} ${problem}`);
}

/**
 * JSON.parse with the file named in the error and the place, not V8's words: they quote the text,
 * which may be anything (a file that is not JSON at all).
 */
export function parseJson(kind: string, file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /at position (\d+)/.exec(message);
    const token = /^Unexpected token '(.)'/u.exec(message);
    const why = position
      ? `unexpected text at ${lineAndColumn(text, Number(position[1]))}`
      : text.trim() === ''
        ? 'the file is empty'
        : /end of JSON input/.test(message)
          ? 'the file ends too early (is it truncated?)'
          : token
            ? `unexpected character ${JSON.stringify(token[1])}`
            : 'it cannot be parsed';
    throw reportError(kind, file, `is not valid JSON: ${why}`);
  }
}

function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `line ${line}, column ${offset - before.lastIndexOf('\n')}`;
}
