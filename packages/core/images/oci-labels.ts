import { LABEL_PREFIX } from '../deploy/release.ts';
import type { KeyValue } from './build-inputs.ts';

/** The OCI image annotations we always set (https://github.com/opencontainers/image-spec/blob/main/annotations.md). */
export const OCI = {
  created: 'org.opencontainers.image.created',
  source: 'org.opencontainers.image.source',
  revision: 'org.opencontainers.image.revision',
  version: 'org.opencontainers.image.version',
} as const;

/** Which environment an image was built for: retention prunes per environment by this label. */
export const ENVIRONMENT_LABEL = `${LABEL_PREFIX}environment`;

export interface LabelFacts {
  created: Date;
  /** Repository URL, e.g. `https://github.com/acme/shop`. */
  source?: string;
  /** Commit SHA. */
  revision?: string;
  /** Release version, or the first tag. */
  version?: string;
  environment?: string;
}

/**
 * The labels a build gets: the OCI ones (created, source, revision, version; those we cannot know
 * are left out rather than set empty), the environment label, then the user's, which win on a clash.
 */
export function imageLabels(facts: LabelFacts, extra: readonly KeyValue[]): Record<string, string> {
  const labels: Record<string, string> = { [OCI.created]: facts.created.toISOString() };
  if (facts.source) labels[OCI.source] = facts.source;
  if (facts.revision) labels[OCI.revision] = facts.revision;
  if (facts.version) labels[OCI.version] = facts.version;
  if (facts.environment) labels[ENVIRONMENT_LABEL] = facts.environment;
  for (const { key, value } of extra) labels[key] = value;
  return labels;
}
