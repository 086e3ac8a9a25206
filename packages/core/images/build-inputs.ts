import { invalidValue } from '../errors.ts';

export interface KeyValue {
  key: string;
  value: string;
}

const BUILD_ARG = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/;
const LABEL = /^([A-Za-z0-9][A-Za-z0-9._/-]*)=(.*)$/;

/**
 * `NAME=value` lines (blank lines and `#` comments skipped). A bad line is named by its number and
 * its name part only: build arguments sometimes carry values that must not reach a log.
 */
function parseLines(what: string, raw: string, pattern: RegExp, rule: string): KeyValue[] {
  const pairs: KeyValue[] = [];
  raw.split(/\r?\n/).forEach((line, index) => {
    const text = line.trim();
    if (text === '' || text.startsWith('#')) return;
    const match = pattern.exec(text);
    if (!match) {
      const name = text.split('=')[0]!.trim();
      throw invalidValue(what, `line ${index + 1}${text.includes('=') ? ` (${name}=…)` : ''}`, rule);
    }
    pairs.push({ key: match[1]!, value: match[2]! });
  });
  return pairs;
}

export function parseBuildArgs(raw: string): KeyValue[] {
  return parseLines('build-args', raw, BUILD_ARG, 'use NAME=value, one a line (NAME of letters, digits and _, not starting with a digit)');
}

export function parseLabels(raw: string): KeyValue[] {
  return parseLines('labels', raw, LABEL, 'use name=value, one a line (name of letters, digits, ., _, / and -, e.g. com.example.team=payments)');
}
