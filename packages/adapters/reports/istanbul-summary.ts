import type { CoverageReport } from '../../core/gates/index.ts';
import { parseJson, reportError } from './report-error.ts';

const KIND = 'coverage';

/** istanbul's json-summary (`coverage-summary.json` of c8, nyc, jest, vitest): `total.lines`. */
export function parseIstanbulSummary(file: string, content: string): CoverageReport {
  const json = parseJson(KIND, file, content) as { total?: { lines?: { total?: unknown; covered?: unknown } } };
  const lines = json?.total?.lines;
  if (!lines || !Number.isInteger(lines.total) || !Number.isInteger(lines.covered)) {
    throw reportError(KIND, file, 'has no total.lines.total and total.lines.covered; is it an istanbul coverage-summary.json?');
  }
  return { report: file, format: 'istanbul', linesCovered: lines.covered as number, linesTotal: lines.total as number };
}
