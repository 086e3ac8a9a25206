import { invalidValue } from '../errors.ts';
import { parseList } from '../inputs/index.ts';
import type { HealthTarget } from './targets.ts';

export const OPERATORS = ['<', '<=', '>', '>=', '==', '!='] as const;
export type Operator = (typeof OPERATORS)[number];

export interface Comparison {
  op: Operator;
  threshold: number;
}

const ALLOWED = 'use one check a line: <promql> <op> <number>, with op one of < <= > >= == != (e.g. avg(node_load1) < 4)';
// The last operator on the line is ours; whatever comes before it is PromQL, spaces and all (but
// not ending in an operator character, so `up =< 1` is refused rather than read as `up =` `<` `1`).
const CHECK = /^(.*[^\s=<>!])\s*(<=|>=|==|!=|<|>)\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?)$/i;

/**
 * Parses `prometheus-queries` into targets of kind `prometheus`, each evaluated every round like any
 * other target. Lines are not split on commas: PromQL uses them (`sum by (job, instance)`).
 */
export function parsePrometheusChecks(prometheusUrl: string, raw: string): HealthTarget[] {
  const lines = parseList(raw, { commas: false });
  if (lines.length === 0) return [];
  const url = prometheusUrl.trim();
  if (!/^https?:\/\/[^/\s]/i.test(url) || !URL.canParse(url)) {
    throw invalidValue('prometheus-url', prometheusUrl, 'prometheus-queries needs the base URL of the Prometheus server, e.g. http://prometheus:9090');
  }
  return lines.map((line) => {
    const match = CHECK.exec(line);
    if (!match) throw invalidValue('prometheus-queries', line, ALLOWED);
    const comparison = { op: match[2] as Operator, threshold: Number(match[3]) };
    return { kind: 'prometheus', id: line, url, query: match[1]!, comparison };
  });
}

/** Prometheus writes sample values as strings, `+Inf`, `-Inf` and `NaN` included. */
export function sampleValue(text: string): number {
  if (text === '+Inf' || text === 'Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  return Number(text);
}

export function satisfies(value: number, { op, threshold }: Comparison): boolean {
  if (Number.isNaN(value)) return false;
  switch (op) {
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '==':
      return value === threshold;
    case '!=':
      return value !== threshold;
  }
}

export function formatComparison({ op, threshold }: Comparison): string {
  return `${op} ${threshold}`;
}
