import { parse } from 'yaml';
import { z } from 'zod';
import { ConfigurationError } from '../errors.ts';
import { atMost, excerpt, firstLine } from '../message-bounds.ts';
import type { IgnoreRule } from './ignore-rule.ts';

/**
 * Findings a team has accepted for a while. The file uses trivy's `.trivyignore.yaml` keys, with the
 * reason (`statement`) and the expiry (`expired_at`) both required: an ignore without an end date
 * outlives the reason for it. An ignore counts through its expiry day (UTC); from the next day the
 * finding counts again.
 *
 *   vulnerabilities:
 *     - id: CVE-2024-1234
 *       statement: only reachable through XML uploads, which the service does not accept
 *       expired_at: 2026-12-31
 *   secrets:
 *     - id: aws-access-key-id
 *       statement: revoked test key in a fixture
 *       expired_at: 2026-06-30
 *   misconfigurations:
 *     - id: DS002
 *       statement: the base image needs root until the next release
 *       expired_at: 2026-03-01
 *
 * Its parser (yaml and zod) loads only in a run given an ignore-file: ignore-rule.ts holds what the scan gate needs.
 */
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const entry = z.strictObject({
  id: z.string().trim().min(1),
  statement: z.string().trim().min(1, { error: 'give the reason for the ignore' }),
  // YAML reads an unquoted 2026-12-31 as a date.
  expired_at: z.union([z.date(), z.string()]).transform((value, ctx) => {
    const text = value instanceof Date ? value.toISOString().slice(0, 10) : value.trim();
    if (!DATE.test(text) || Number.isNaN(Date.parse(`${text}T00:00:00Z`))) {
      ctx.issues.push({ code: 'custom', input: value, message: 'use a date YYYY-MM-DD, the last day the ignore holds' });
      return z.NEVER;
    }
    return text;
  }),
});
const ignoreFile = z.strictObject({
  vulnerabilities: z.array(entry).optional(),
  secrets: z.array(entry).optional(),
  misconfigurations: z.array(entry).optional(),
});

const KIND_OF = { vulnerabilities: 'vulnerability', secrets: 'secret', misconfigurations: 'misconfiguration' } as const;

/** Parses an ignore file's text; `source` names it in errors (the ignore-file input's path). */
export function parseIgnoreFile(text: string, source: string): IgnoreRule[] {
  let data: unknown;
  try {
    data = parse(text) ?? {};
  } catch (error) {
    throw new ConfigurationError(`ignore-file ${source} is not valid YAML: ${firstLine(error instanceof Error ? error.message : String(error))}`);
  }
  const result = ignoreFile.safeParse(data);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const where = issue.path.join('.') || '(top level)';
      const message =
        (issue.code === 'invalid_type' || issue.code === 'invalid_union') && issue.input === undefined
          ? 'is required'
          : issue.code === 'unrecognized_keys'
            ? `unknown key${issue.keys.length > 1 ? 's' : ''} ${atMost(
                issue.keys.map((key) => excerpt(key, 40)),
                5,
              ).join(', ')}`
            : firstLine(issue.message);
      return `${where}: ${message}`;
    });
    throw new ConfigurationError(
      `ignore-file ${source}: ${atMost(problems).join('; ')} (each entry of vulnerabilities, secrets or misconfigurations needs id, statement and expired_at)`,
    );
  }
  return (Object.keys(KIND_OF) as (keyof typeof KIND_OF)[]).flatMap((key) =>
    (result.data[key] ?? []).map((rule) => ({ kind: KIND_OF[key], id: rule.id, statement: rule.statement, expiresOn: rule.expired_at })),
  );
}
