import { ConfigurationError } from '../../core/errors.ts';

/** A report the suite cannot read: the user's to fix, so it names the file and what is wrong with it. */
export function reportError(kind: string, file: string, problem: string): ConfigurationError {
  return new ConfigurationError(`${kind} report ${file} ${problem}`);
}

/** JSON.parse with the file named in the error. */
export function parseJson(kind: string, file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw reportError(kind, file, `is not valid JSON: ${(error as Error).message}`);
  }
}
