import type { GateEvidence, ReportsOf, SourceLocation } from '../../core/gates/index.ts';
import { ConfigurationError } from '../../core/errors.ts';
import { formatBytes, megabytes } from '../files/byte-size.ts';
import { matchWorkspaceFiles } from '../files/workspace-glob.ts';
import { readBounded } from '../files/workspace-file.ts';
import { sourcePathResolver } from './source-paths.ts';

export type ReportKind = 'junit' | 'coverage' | 'sarif' | 'trivy';
export type ReportPatterns = Partial<Record<ReportKind, string[]>>;
type ReportEvidence = Pick<GateEvidence, ReportKind>;

/**
 * A 50 MB JUnit file parses in about 5 s and 0.5 GB; reports are read one at a time, so these bound
 * a gate's time and memory. Real reports are far smaller: one over the limit is not worth a runner.
 */
export const REPORT_FILE_LIMIT = megabytes(50);
export const REPORTS_TOTAL_LIMIT = megabytes(200);

/** Bytes read so far by one collectReports call, against the total limit. */
interface Budget {
  left: number;
}

async function readAll<R>(
  kind: ReportKind,
  patterns: string[],
  workspace: string,
  budget: Budget,
  parse: (name: string, content: string) => R,
): Promise<ReportsOf<R>> {
  const reports: R[] = [];
  for (const { file, real } of await matchWorkspaceFiles(kind, patterns, workspace)) {
    const content = await readBounded(kind, file, real, REPORT_FILE_LIMIT);
    budget.left -= Buffer.byteLength(content);
    if (budget.left < 0) {
      throw new ConfigurationError(
        `${kind}: the reports matched add up to more than ${formatBytes(REPORTS_TOTAL_LIMIT)} with ${file}; the limit is for all reports together`,
      );
    }
    reports.push(parse(file, content));
  }
  return { patterns, reports };
}

/**
 * Reads every report the patterns match, for each kind given: a kind left out stays undefined, a
 * kind whose patterns match nothing has no reports (and its gate fails). Locations in failures and
 * findings become workspace-relative paths. Each parser (the XML one is large) loads only when its
 * kind is asked for.
 */
export async function collectReports(patterns: ReportPatterns, workspace: string): Promise<ReportEvidence> {
  const evidence: ReportEvidence = {};
  const budget = { left: REPORTS_TOTAL_LIMIT };
  // Each parser (and the XML library behind JUnit) loads only when its kind of report is asked for.
  if (patterns.junit?.length) evidence.junit = await readAll('junit', patterns.junit, workspace, budget, (await import('./junit.ts')).parseJUnit);
  if (patterns.coverage?.length)
    evidence.coverage = await readAll('coverage', patterns.coverage, workspace, budget, (await import('./coverage.ts')).parseCoverage);
  if (patterns.sarif?.length) evidence.sarif = await readAll('sarif', patterns.sarif, workspace, budget, (await import('./sarif.ts')).parseSarif);
  if (patterns.trivy?.length) evidence.trivy = await readAll('trivy', patterns.trivy, workspace, budget, (await import('./trivy-json.ts')).parseTrivyJson);

  const resolve = sourcePathResolver(workspace);
  const located: SourceLocation[] = [
    ...(evidence.junit?.reports.flatMap((r) => r.failures) ?? []),
    ...[evidence.sarif, evidence.trivy].flatMap((set) => set?.reports.flatMap((r) => r.findings) ?? []),
  ];
  await Promise.all(located.filter((l) => l.file).map(async (l) => void (l.file = await resolve(l.file!))));
  return evidence;
}
