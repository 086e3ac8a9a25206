import { ConfigurationError } from '../errors.ts';
import { formatReference, isValidTag, type ImageReference } from './image-reference.ts';

export interface GitState {
  /** `refs/heads/main`, `refs/tags/v1.4.2`, `refs/pull/12/merge`; '' outside a workflow. */
  ref: string;
  /** The full commit SHA; '' when unknown. */
  commit: string;
}

const SEMVER = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

/** A Git name as a Docker tag: characters a tag cannot hold become '-', at most 128 characters. */
export function tagFromName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9_.-]/g, '-').replace(/^[.-]+/, '');
  return cleaned.slice(0, 128);
}

/**
 * Tags for a build, from the Git ref and commit:
 * - branch `feature/login` → `feature-login`;
 * - tag `v1.4.2` → `1.4.2`, `1.4`, `1` (a pre-release such as `v2.0.0-rc.1` gets only its full version);
 * - any other tag → its name; pull request 12 → `pr-12`;
 * - and the commit → `sha-<first 7 hex digits>`.
 */
export function deriveTagNames(git: GitState): string[] {
  const tags: string[] = [];
  const ref = git.ref.trim();
  const version = versionOfRef(ref);
  if (version) {
    const match = SEMVER.exec(version)!;
    const [, major, minor, patch, pre] = match;
    tags.push(`${major}.${minor}.${patch}${pre ? `-${pre}` : ''}`);
    if (!pre) tags.push(`${major}.${minor}`, `${major}`);
  } else if (ref.startsWith('refs/heads/')) {
    tags.push(tagFromName(ref.slice('refs/heads/'.length)));
  } else if (ref.startsWith('refs/tags/')) {
    tags.push(tagFromName(ref.slice('refs/tags/'.length)));
  } else if (/^refs\/pull\/\d+\//.test(ref)) {
    tags.push(`pr-${ref.split('/')[2]}`);
  }
  const commit = git.commit.trim().toLowerCase();
  if (/^[0-9a-f]{7,64}$/.test(commit)) tags.push(`sha-${commit.slice(0, 7)}`);
  return [...new Set(tags.filter((tag) => tag !== '' && isValidTag(tag)))];
}

/** `1.4.2` when the ref is a semantic-version tag (`refs/tags/v1.4.2`), else undefined. */
export function versionOfRef(ref: string): string | undefined {
  if (!ref.startsWith('refs/tags/')) return undefined;
  const name = ref.slice('refs/tags/'.length);
  return SEMVER.test(name) ? name.replace(/^v/, '') : undefined;
}

/** Full references for the image name and the derived tags; fails when Git gives nothing to derive from. */
export function deriveTags(image: ImageReference, git: GitState): string[] {
  const names = deriveTagNames(git);
  if (names.length === 0) {
    throw new ConfigurationError(
      `tags: none given, and none can be derived: the Git ref ${JSON.stringify(git.ref)} and commit ${JSON.stringify(git.commit)} name no branch, tag, pull request or commit; give tags, or run in a workflow`,
    );
  }
  return names.map((tag) => formatReference({ registry: image.registry, repository: image.repository, tag }));
}
