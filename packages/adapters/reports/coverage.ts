import type { CoverageReport } from '../../core/gates/index.ts';
import { parseCobertura } from './cobertura.ts';
import { parseIstanbulSummary } from './istanbul-summary.ts';
import { parseLcov } from './lcov.ts';
import { reportError } from './report-error.ts';

/** Any coverage report the gate reads, told apart by its content rather than its name. */
export function parseCoverage(file: string, content: string): CoverageReport {
  const start = content.trimStart();
  if (start.startsWith('{')) return parseIstanbulSummary(file, content);
  if (start.startsWith('<')) return parseCobertura(file, content);
  if (/^(TN|SF):/m.test(start)) return parseLcov(file, content);
  throw reportError('coverage', file, 'is neither lcov, Cobertura XML nor an istanbul coverage-summary.json');
}
