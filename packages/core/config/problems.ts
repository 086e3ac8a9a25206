/**
 * Turns zod's issues into one sentence per problem, in the suite's error style: the key path, the value
 * given and what is allowed. zod's own wording never reaches the user.
 */
import { z } from 'zod';
import { excerpt } from '../message-bounds.ts';

export type ConfigPath = readonly PropertyKey[];

export interface Problem {
  path: ConfigPath;
  /** Whether the problem is the key itself (unknown or badly named) rather than its value. */
  onKey: boolean;
  text: string;
}

/**
 * Error map for parsing: for zod's built-in checks, the text that ends `<key>: <value> is not valid; …`.
 * Fields with their own wording (durations, percentages, names) set it in the schema, which wins.
 */
export const allowedText: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      return expectedText(issue.expected, issue.inst);
    case 'invalid_value':
      return `use one of: ${issue.values.map(String).join(', ')}`;
    case 'too_small':
      if (issue.origin === 'array') return `give at least ${issue.minimum} item${issue.minimum === 1 ? '' : 's'}`;
      if (issue.origin === 'string') return 'use non-empty text';
      return issue.inclusive ? `use a number ${issue.minimum} or more` : `use a number above ${issue.minimum}`;
    case 'too_big':
      return issue.inclusive ? `use a number ${issue.maximum} or less` : `use a number below ${issue.maximum}`;
    case 'unrecognized_keys':
      return issue.inst instanceof z.ZodObject ? Object.keys(issue.inst.shape).join(', ') : undefined;
    case 'invalid_format':
      return issue.format === 'regex' ? `use text matching ${issue.pattern}` : undefined;
    default:
      return undefined;
  }
};

function expectedText(expected: string, schema: unknown): string {
  switch (expected) {
    case 'boolean':
      return 'use true or false';
    case 'int':
      return 'use a whole number';
    case 'string':
      return 'use text';
    case 'array':
      return schema instanceof z.ZodArray && schema.element instanceof z.ZodEnum ? `use a list of: ${schema.element.options.join(', ')}` : 'use a list';
    case 'object':
      return schema instanceof z.ZodObject ? `use a mapping with keys: ${Object.keys(schema.shape).join(', ')}` : 'use a mapping of names to settings';
    default:
      return `use a ${expected}`;
  }
}

export function describeIssues(issues: readonly z.core.$ZodIssue[]): Problem[] {
  return issues.flatMap((issue): Problem[] => {
    const { path } = issue;
    switch (issue.code) {
      case 'unrecognized_keys': {
        // allowedText put the keys allowed at this place in the message.
        const place = path.length === 0 ? 'at the top level' : `in ${pathText(path)}`;
        return issue.keys.map((key) => ({
          path: [...path, key],
          onKey: true,
          text: `${pathText([...path, key])}: unknown key; allowed keys ${place}: ${issue.message}`,
        }));
      }
      case 'invalid_key': {
        const allowed = issue.issues[0]?.message ?? issue.message;
        return [{ path, onKey: true, text: `${pathText(path.slice(0, -1))}: key ${show(issue.input)} is not valid; ${allowed}` }];
      }
      default: {
        // The whole file's value is never quoted: a file that is not YAML (a log, a secret) parses as one string.
        const given = issue.input === undefined ? 'missing' : path.length === 0 ? `${kindOf(issue.input)} is not valid` : `${show(issue.input)} is not valid`;
        return [{ path, onKey: false, text: `${pathText(path)}: ${given}; ${issue.message}` }];
      }
    }
  });
}

/** A key as the file wrote it: plain when it looks like a key, else quoted and cut short. */
const KEY = /^[\w-]{1,64}$/;
const keyText = (key: string): string => (KEY.test(key) ? key : excerpt(key, 40));

/** `devops_automator.monitoring`, `infrastructure_monitoring.dashboards[1].name` */
export function pathText(path: ConfigPath): string {
  if (path.length === 0) return 'top level';
  return path.map((part, index) => (typeof part === 'number' ? `[${part}]` : `${index ? '.' : ''}${keyText(String(part))}`)).join('');
}

function show(value: unknown): string {
  if (typeof value === 'string') return excerpt(value);
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : kindOf(value);
}

function kindOf(value: unknown): string {
  if (value === null) return 'an empty value';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
  if (typeof value === 'object') return 'a mapping';
  return typeof value === 'string' ? 'text' : typeof value === 'number' ? 'a number' : typeof value === 'boolean' ? 'true or false' : 'a value';
}
