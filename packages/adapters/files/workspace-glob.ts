import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { ConfigurationError } from '../../core/errors.ts';
import { anchorInWorkspace, checkInside, realWorkspace } from './workspace-file.ts';

export interface WorkspaceMatch {
  /** Relative to the workspace, as messages and the summary name it. */
  file: string;
  /** The real path to read. */
  real: string;
}

const GLOB_CHARS = /[*?[\]]/;

/** The folder a pattern starts searching in: its segments up to the first one with a wildcard. */
function searchRoot(pattern: string): string {
  const segments = pattern.split(path.sep);
  const literal = segments.findIndex((segment) => GLOB_CHARS.test(segment));
  return literal < 0 ? pattern : segments.slice(0, literal).join(path.sep) || path.sep;
}

/**
 * The files glob patterns match (one a line, `!` excludes), anchored at the workspace, sorted. A
 * pattern that searches outside the workspace, or a match whose real path leaves it (a symlink), is
 * refused with an error naming `input`: a report that silently went missing would pass a gate it
 * should not, and one read from outside could carry the runner's secrets into the summary.
 */
export async function matchWorkspaceFiles(input: string, patterns: readonly string[], workspace: string): Promise<WorkspaceMatch[]> {
  const root = await realWorkspace(workspace);
  const anchored = patterns.map((pattern) => {
    const negated = pattern.startsWith('!');
    const body = negated ? pattern.slice(1) : pattern;
    const full = anchorInWorkspace(body, workspace, root);
    if (!negated && !(searchRoot(full) + path.sep).startsWith(root + path.sep)) {
      throw new ConfigurationError(`${input}: pattern ${JSON.stringify(pattern)} searches outside the workspace; give patterns relative to ${root}`);
    }
    return `${negated ? '!' : ''}${full}`;
  });
  // @actions/glob (minimatch and its kin) loads with the first match, not with every action that could collect.
  // Not node:fs/promises glob: its `*` skips dotfiles, its `**` does not enter symlinked folders, and a
  // pattern naming a folder does not take its files (Node 24); each would drop reports without a word.
  const glob = await import('@actions/glob');
  const globber = await glob.create(anchored.join('\n'), { matchDirectories: false });
  const matches: WorkspaceMatch[] = [];
  // Checked as they come: a symlink to `/` inside the workspace stops the search at its first file.
  for await (const found of globber.globGenerator()) {
    const file = path.relative(root, found);
    const real = await realpath(found).catch(() => found);
    checkInside(input, file, root, real);
    matches.push({ file, real });
  }
  return matches.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}
