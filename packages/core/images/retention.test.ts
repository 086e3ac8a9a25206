import { describe, expect, it } from 'vitest';
import { ENVIRONMENT_LABEL } from './oci-labels.ts';
import type { RegistryImage } from './registry.ts';
import { compileProtectedTags, DEFAULT_PROTECTED_TAGS, inUseFrom, planRetention, type RetentionPolicy } from './retention.ts';

const NOW = new Date('2026-11-26T12:00:00Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000);
const digest = (n: number) => `sha256:${n.toString(16).padStart(64, '0')}`;
const image = (n: number, environment: string, age: number, tags: string[], children: string[] = []): RegistryImage => ({
  digest: digest(n),
  tags,
  created: daysAgo(age),
  labels: { [ENVIRONMENT_LABEL]: environment },
  children,
});
const protectedTags = compileProtectedTags(DEFAULT_PROTECTED_TAGS, (p) => new Error(p));
const policy = (environment: string, keepLatest: number, retentionDays: number): RetentionPolicy => ({ environment, keepLatest, retentionDays, protectedTags });
const nobody = inUseFrom([], 'r/shop');
const verdicts = (plan: ReturnType<typeof planRetention>) => Object.fromEntries(plan.decisions.map((d) => [d.tag, d.verdict]));

describe('retention', () => {
  it('keeps the N newest and the young, deletes the rest, and leaves other environments alone', () => {
    const images = [
      ...[10, 20, 29, 40, 50, 60].map((age, i) => image(i + 1, 'staging', age, [`stg-${i + 1}`])),
      image(50, 'production', 400, ['prod-old']),
      image(60, 'development', 1, ['dev-1']),
    ];
    const plan = planRetention(images, policy('staging', 2, 30), nobody, NOW);
    expect(verdicts(plan)).toEqual({ 'stg-1': 'keep', 'stg-2': 'keep', 'stg-3': 'keep', 'stg-4': 'delete', 'stg-5': 'delete', 'stg-6': 'delete' });
    expect(plan.decisions.map((d) => d.reason).slice(0, 4)).toEqual([
      'among the 2 newest of staging',
      'among the 2 newest of staging',
      '29 day(s) old, within 30 days',
      '40 days old (over 30) and not among the 2 newest',
    ]);
    expect(plan.deletions.map((i) => i.tags[0])).toEqual(['stg-4', 'stg-5', 'stg-6']);
    expect(plan.otherImages).toBe(2);
  });

  it('never deletes a protected tag, a running release, or an image a kept index lists; all tags of a digest share the verdict', () => {
    const child = image(7, 'production', 300, ['shop-amd64']);
    const images = [
      image(1, 'production', 1, ['new']),
      image(2, 'production', 200, ['1.4.2', 'sha-aaaaaaa']),
      image(3, 'production', 210, ['latest']),
      image(4, 'production', 220, ['sha-running']),
      image(5, 'production', 230, ['sha-bbbbbbb', 'main']),
      image(6, 'staging', 250, ['index'], [child.digest]),
      child,
    ];
    const inUse = inUseFrom(
      [{ release: 'r20261101000000-000000000000', environment: 'production', image: 'r/shop:sha-running', imageDigest: 'sha256:ff' }],
      'r/shop',
    );
    const plan = planRetention(images, policy('production', 1, 90), inUse, NOW);
    expect(Object.fromEntries(plan.decisions.map((d) => [d.tag, `${d.verdict}: ${d.reason}`]))).toEqual({
      new: 'keep: among the 1 newest of production',
      '1.4.2': 'keep: tag 1.4.2 is protected',
      'sha-aaaaaaa': 'keep: tag 1.4.2 is protected',
      latest: 'keep: tag latest is protected',
      'sha-running': 'keep: in use by release r20261101000000-000000000000 (production)',
      'sha-bbbbbbb': 'delete: 230 days old (over 90) and not among the 1 newest',
      main: 'delete: 230 days old (over 90) and not among the 1 newest',
      'shop-amd64': 'keep: listed by the multi-architecture index index, which stays',
    });
  });

  it('matches a running release by digest too', () => {
    const inUse = inUseFrom([{ release: 'r1', environment: 'production', image: 'other/name:x', imageDigest: digest(9) }], 'r/shop');
    const plan = planRetention([image(9, 'production', 500, ['old'])], policy('production', 0, 1), inUse, NOW);
    expect(plan.decisions[0]!.reason).toBe('in use by release r1 (production)');
  });

  it('keeps the image a release would roll back to', () => {
    const inUse = inUseFrom([{ release: 'r2', environment: 'staging', image: 'r/shop:new', imageDigest: digest(1), previousImage: 'r/shop:old' }], 'r/shop');
    const plan = planRetention([image(1, 'staging', 0, ['new']), image(2, 'staging', 500, ['old'])], policy('staging', 0, 1), inUse, NOW);
    expect(plan.decisions.map((d) => `${d.tag}: ${d.reason}`)).toEqual([
      'new: in use by release r2 (staging)',
      'old: in use by the rollback of release r2 (staging)',
    ]);
  });

  it('names a bad protected-tags pattern', () => {
    expect(() => compileProtectedTags(['release-(', 'ok'], (p, problem) => new Error(`${p}: ${problem}`))).toThrow(/^release-\(: Invalid regular expression/);
  });
});
