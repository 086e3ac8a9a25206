import type { Target } from '../../packages/core/deploy/target.ts';
import { ActionFailure, errorMessage } from '../../packages/core/errors.ts';
import { inUseFrom, planRetention, type ImageRegistry, type ReleaseInUse, type RetentionPlan } from '../../packages/core/images/index.ts';
import type { Logger } from '../../packages/core/logger.ts';
import type { RetentionSettings } from './inputs.ts';

export interface RetentionOutcome {
  plan: RetentionPlan;
  /** Tags deleted, or that would be in a dry run. */
  deleted: string[];
  dryRun: boolean;
  requests: number;
}

/**
 * Prunes one repository for one environment: the registry's images, the releases on the Docker host
 * (every environment's, running or kept for rollback), the policy, then the deletes.
 */
export async function pruneRepository(
  registry: ImageRegistry,
  target: Target,
  repository: { path: string; name: string },
  settings: RetentionSettings,
  now: Date,
  logger: Logger,
): Promise<RetentionOutcome> {
  const images = await registry.listImages(repository.path);
  const releases: ReleaseInUse[] = [];
  for (const environment of settings.environments) {
    for (const container of await target.list({ app: settings.app, environment })) {
      if (container.trusted) releases.push(container.labels);
    }
  }
  const policy = {
    environment: settings.environment,
    keepLatest: settings.lifecycle.cleanup_policy.keep_latest,
    retentionDays: settings.lifecycle.retention_days,
    protectedTags: settings.protectedTags,
  };
  const plan = planRetention(images, policy, inUseFrom(releases, repository.name), now);
  const deleted: string[] = [];
  for (const image of plan.deletions) {
    if (!settings.dryRun) {
      try {
        await registry.deleteImage(repository.path, image);
      } catch (error) {
        const done = deleted.length > 0 ? `; deleted before it: ${deleted.join(', ')}` : '; nothing was deleted before it';
        throw new ActionFailure(`retention stopped at ${image.tags.join(', ')}: ${errorMessage(error)}${done}`);
      }
    }
    deleted.push(...image.tags);
  }
  const verb = settings.dryRun ? 'would delete' : 'deleted';
  logger.info(
    `retention (${settings.environment}): ${verb} ${deleted.length} tag(s) of ${repository.name}, kept ${plan.decisions.length - deleted.length}; ${registry.requests} registry request(s)`,
  );
  return { plan, deleted, dryRun: settings.dryRun, requests: registry.requests };
}
