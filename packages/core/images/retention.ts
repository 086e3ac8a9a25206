import { ENVIRONMENT_LABEL, OCI } from './oci-labels.ts';
import type { RegistryImage } from './registry.ts';

export interface RetentionPolicy {
  environment: string;
  /** The N newest images of the environment always stay. */
  keepLatest: number;
  /** Images younger than this stay too. */
  retentionDays: number;
  /** Tags matching any of these (whole-tag regular expressions) are never deleted. */
  protectedTags: readonly RegExp[];
}

/** What runs now: the digests and `repository:tag` references of running releases. */
export interface InUse {
  digests: ReadonlySet<string>;
  tags: ReadonlySet<string>;
  /** Which release uses a digest or tag, for the reason. */
  describe(digestOrTag: string): string | undefined;
}

export type Verdict = 'keep' | 'delete';

export interface TagDecision {
  tag: string;
  digest: string;
  verdict: Verdict;
  reason: string;
}

export interface RetentionPlan {
  /** One decision per tag of the environment's images, newest image first. */
  decisions: TagDecision[];
  /** The images to delete (by digest, which deletes every tag on it). */
  deletions: RegistryImage[];
  /** Images outside the environment (another environment label, or none): not touched. */
  otherImages: number;
}

/** `latest` and semantic-version release tags (`1.4.2`, `v1.4.2`). */
export const DEFAULT_PROTECTED_TAGS = ['latest', 'v?[0-9]+\\.[0-9]+\\.[0-9]+'];

const DAY_MS = 86_400_000;

/** When the image was built: its OCI created label (our builds set it), else what the registry says. */
export function createdOf(image: RegistryImage): Date | undefined {
  const label = image.labels[OCI.created];
  const parsed = label ? new Date(label) : undefined;
  return parsed && !Number.isNaN(parsed.getTime()) ? parsed : image.created;
}

/**
 * Which of a repository's tags go, for one environment's images (those labelled
 * `dev.sidhe.environment=<environment>`). An image stays when it is among the `keepLatest` newest or
 * younger than `retentionDays`; whatever the policy says, it also stays when one of its tags is
 * protected, a running release uses it, or a multi-architecture index that stays lists it. A delete
 * removes a digest with all its tags, so the verdict is per image and every tag on it shares it.
 */
export function planRetention(images: readonly RegistryImage[], policy: RetentionPolicy, inUse: InUse, now: Date): RetentionPlan {
  const mine = images.filter((image) => image.labels[ENVIRONMENT_LABEL] === policy.environment);
  const newestFirst = [...mine].sort(
    (a, b) => (createdOf(b)?.getTime() ?? Infinity) - (createdOf(a)?.getTime() ?? Infinity) || a.digest.localeCompare(b.digest),
  );
  const verdicts = new Map<string, { verdict: Verdict; reason: string }>();
  newestFirst.forEach((image, index) => verdicts.set(image.digest, policyVerdict(image, index, policy, inUse, now)));

  // Images listed by an index that stays must stay, whatever their own verdict (any environment's index).
  const staying = (image: RegistryImage) => verdicts.get(image.digest)?.verdict !== 'delete';
  for (const index of images.filter((image) => image.children.length > 0 && staying(image))) {
    for (const child of index.children) {
      if (verdicts.get(child)?.verdict === 'delete') {
        verdicts.set(child, { verdict: 'keep', reason: `listed by the multi-architecture index ${nameOf(index)}, which stays` });
      }
    }
  }

  const decisions = newestFirst.flatMap((image) => {
    const { verdict, reason } = verdicts.get(image.digest)!;
    return [...image.tags].sort().map((tag) => ({ tag, digest: image.digest, verdict, reason }));
  });
  const deletions = newestFirst.filter((image) => verdicts.get(image.digest)!.verdict === 'delete');
  return { decisions, deletions, otherImages: images.length - mine.length };
}

function policyVerdict(image: RegistryImage, rank: number, policy: RetentionPolicy, inUse: InUse, now: Date): { verdict: Verdict; reason: string } {
  const guarded = image.tags.find((tag) => policy.protectedTags.some((pattern) => pattern.test(tag)));
  if (guarded) return { verdict: 'keep', reason: `tag ${guarded} is protected` };
  const used = [image.digest, ...image.tags].find((key) => inUse.digests.has(key) || inUse.tags.has(key));
  if (used) return { verdict: 'keep', reason: `in use by ${inUse.describe(used) ?? 'a running release'}` };
  if (rank < policy.keepLatest) return { verdict: 'keep', reason: `among the ${policy.keepLatest} newest of ${policy.environment}` };
  const created = createdOf(image);
  if (!created) return { verdict: 'keep', reason: 'its build time is unknown' };
  const ageDays = Math.floor((now.getTime() - created.getTime()) / DAY_MS);
  if (now.getTime() - created.getTime() < policy.retentionDays * DAY_MS) {
    return { verdict: 'keep', reason: `${ageDays} day(s) old, within ${policy.retentionDays} days` };
  }
  return { verdict: 'delete', reason: `${ageDays} days old (over ${policy.retentionDays}) and not among the ${policy.keepLatest} newest` };
}

function nameOf(image: RegistryImage): string {
  return image.tags[0] ?? image.digest;
}

/** Whole-tag regular expressions; a bad one is named. */
export function compileProtectedTags(patterns: readonly string[], fail: (pattern: string, problem: string) => Error): RegExp[] {
  return patterns.map((pattern) => {
    try {
      return new RegExp(`^(?:${pattern})$`);
    } catch (error) {
      throw fail(pattern, error instanceof Error ? error.message : String(error));
    }
  });
}

/** A release as its container's labels record it (see core/deploy ReleaseLabels). */
export interface ReleaseInUse {
  release: string;
  environment: string;
  image: string;
  imageDigest: string;
  /** The image rollback would restart. */
  previousImage?: string;
}

/**
 * What the releases on the target hold on to, for one repository: each release's digest and
 * `image` reference, and the image its rollback would restart (`previousImage`).
 */
export function inUseFrom(releases: readonly ReleaseInUse[], repository: string): InUse {
  const byKey = new Map<string, string>();
  const hold = (reference: string, who: string) => {
    const at = reference.indexOf('@');
    const name = at >= 0 ? reference.slice(0, at) : reference;
    if (at >= 0) byKey.set(reference.slice(at + 1), who);
    const colon = name.lastIndexOf(':');
    if (colon > name.lastIndexOf('/') && name.slice(0, colon) === repository && !byKey.has(name.slice(colon + 1))) byKey.set(name.slice(colon + 1), who);
  };
  for (const r of releases) {
    const who = `release ${r.release} (${r.environment})`;
    byKey.set(r.imageDigest, who);
    hold(r.image, who);
  }
  for (const r of releases) if (r.previousImage) hold(r.previousImage, `the rollback of release ${r.release} (${r.environment})`);
  const keys = new Set(byKey.keys());
  return { digests: keys, tags: keys, describe: (key) => byKey.get(key) };
}
