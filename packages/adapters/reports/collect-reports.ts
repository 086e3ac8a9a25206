import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { GateEvidence, ReportsOf, SourceLocation } from '../../core/gates/index.ts';
import { sourcePathResolver } from './source-paths.ts';

export type ReportKind = 'junit' | 'coverage' | 'sarif' | 'trivy';
export type ReportPatterns = Partial<Record<ReportKind, string[]>>;
type ReportEvidence = Pick<GateEvidence, ReportKind>;

/** Anchors a relative pattern (or its `!` negation) at the workspace, as the runner's checkout is. */
function anchored(pattern: string, workspace: string): string {
  const negated = pattern.startsWith('!');
  const body = negated ? pattern.slice(1) : pattern;
  return `${negated ? '!' : ''}${path.isAbsolute(body) ? body : path.join(workspace, body)}`;
}

/** The files the patterns match, sorted, as paths relative to the workspace where they are inside it. */
export async function matchReportFiles(patterns: string[], workspace: string): Promise<string[]> {
  const glob = await import('@actions/glob');
  const globber = await glob.create(patterns.map((p) => anchored(p, workspace)).join('\n'), { matchDirectories: false });
  const files = await globber.glob();
  return files.map((f) => (f.startsWith(workspace + path.sep) ? path.relative(workspace, f) : f)).sort();
}

async function readAll<R>(patterns: string[], workspace: string, parse: (name: string, content: string) => R): Promise<ReportsOf<R>> {
  const files = await matchReportFiles(patterns, workspace);
  const reports = await Promise.all(files.map(async (file) => parse(file, await readFile(path.resolve(workspace, file), 'utf8'))));
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
  if (patterns.junit?.length) evidence.junit = await readAll(patterns.junit, workspace, (await import('./junit.ts')).parseJUnit);
  if (patterns.coverage?.length) evidence.coverage = await readAll(patterns.coverage, workspace, (await import('./coverage.ts')).parseCoverage);
  if (patterns.sarif?.length) evidence.sarif = await readAll(patterns.sarif, workspace, (await import('./sarif.ts')).parseSarif);
  if (patterns.trivy?.length) evidence.trivy = await readAll(patterns.trivy, workspace, (await import('./trivy-json.ts')).parseTrivyJson);

  const resolve = sourcePathResolver(workspace);
  const located: SourceLocation[] = [
    ...(evidence.junit?.reports.flatMap((r) => r.failures) ?? []),
    ...[evidence.sarif, evidence.trivy].flatMap((set) => set?.reports.flatMap((r) => r.findings) ?? []),
  ];
  await Promise.all(located.filter((l) => l.file).map(async (l) => void (l.file = await resolve(l.file!))));
  return evidence;
}
