import { invalidValue } from '../../core/errors.ts';
import { parseList } from '../../core/inputs/index.ts';

/**
 * The `prometheus-queries` of a canary: one `<name>: <promql>` a line.
 *
 *   requests: sum(http_requests_total{app="shop",version="{{version}}"})
 *   errors: sum(http_requests_total{app="shop",version="{{version}}",code=~"5.."}) or vector(0)
 *   p95: histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{version="{{version}}"}[1m])))
 *
 * `requests` and `errors` (both required) are cumulative counters; the source takes their increase
 * between reads. `p50`, `p95`, `p99` (optional) are in seconds, as Prometheus measures time.
 * `{{version}}`, `{{colour}}` and `{{release}}` are filled per slot, so each query reads one slot.
 */
export const QUERY_NAMES = ['requests', 'errors', 'p50', 'p95', 'p99'] as const;
export type QueryName = (typeof QUERY_NAMES)[number];
export type MetricQueries = { requests: string; errors: string } & Partial<Record<'p50' | 'p95' | 'p99', string>>;

/** What tells one slot's series from another's in Prometheus. */
export interface SlotLabels {
  colour: string;
  release: string;
  version: string;
}

const PLACEHOLDERS = ['version', 'colour', 'release'] as const;
const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
const LINE = /^([A-Za-z0-9_-]+)\s*:\s*(\S.*)$/;
const FORM =
  'use one query a line as <name>: <promql>, names requests and errors (required: counters), p50, p95, p99 (optional: seconds), ' +
  'with {{version}}, {{colour}} or {{release}} where the slot goes (e.g. requests: sum(http_requests_total{version="{{version}}"}))';

export function parseMetricQueries(raw: string, slots: Readonly<Record<string, SlotLabels>>): MetricQueries {
  const queries: Partial<Record<QueryName, string>> = {};
  for (const line of parseList(raw, { commas: false })) {
    const match = LINE.exec(line);
    const name = match?.[1] as QueryName | undefined;
    if (!match || !QUERY_NAMES.includes(name!)) throw invalidValue('prometheus-queries', line, FORM);
    if (queries[name!] !== undefined) throw invalidValue('prometheus-queries', line, `give ${name} once; ${FORM}`);
    checkPlaceholders(line, match[2]!, slots);
    queries[name!] = match[2]!;
  }
  const missing = (['requests', 'errors'] as const).filter((name) => queries[name] === undefined);
  if (missing.length > 0) throw invalidValue('prometheus-queries', raw.trim(), `${missing.join(' and ')} missing; ${FORM}`);
  return queries as MetricQueries;
}

/** The query for one slot. Values go inside PromQL strings, so quotes and backslashes are escaped. */
export function fillQuery(template: string, labels: SlotLabels): string {
  return template.replace(PLACEHOLDER, (_, name: (typeof PLACEHOLDERS)[number]) => labels[name].replace(/[\\"]/g, (char) => `\\${char}`));
}

function checkPlaceholders(line: string, query: string, slots: Readonly<Record<string, SlotLabels>>): void {
  const used = [...query.matchAll(PLACEHOLDER)].map((match) => match[1]!);
  const unknown = used.find((name) => !(PLACEHOLDERS as readonly string[]).includes(name));
  if (unknown !== undefined) throw invalidValue('prometheus-queries', line, `{{${unknown}}} is no placeholder; use {{version}}, {{colour}} or {{release}}`);
  const names = Object.keys(slots);
  if (names.length < 2) return;
  if (used.length === 0) {
    throw invalidValue(
      'prometheus-queries',
      line,
      `slots ${names.join(', ')} are read with each query, so it needs {{version}}, {{colour}} or {{release}} to tell them apart`,
    );
  }
  const seen = new Map<string, string>();
  for (const slot of names) {
    const filled = fillQuery(query, slots[slot]!);
    const other = seen.get(filled);
    if (other !== undefined) {
      throw invalidValue(
        'prometheus-queries',
        line,
        `it reads the same series for slots ${other} and ${slot} (${used.map((name) => `{{${name}}} is "${slots[slot]![name as keyof SlotLabels]}"`).join(', ')}); use a placeholder that differs, e.g. {{colour}}`,
      );
    }
    seen.set(filled, slot);
  }
}
