/**
 * What this suite writes into a GitHub deployment, and reads back from it: the deployment's `payload`
 * (fixed once created), its `task`, and the status description that marks traffic reaching the
 * release. Deployments other tools created have no `sidhe` payload and are left alone.
 */
export interface SidhePayload {
  sidhe: 1;
  /** One id for every event of one action run, so history read from Redis and GitHub can be joined. */
  operation: string;
  kind: 'deploy' | 'rollback';
  app?: string;
  release?: string;
  image?: string;
  imageDigest?: string;
  strategy?: 'direct' | 'blue_green' | 'canary';
  previousRelease?: string;
}

export const DEPLOY_TASK = 'deploy';
export const ROLLBACK_TASK = 'deploy:rollback';

/** Starts the in_progress status written when traffic reaches the release (the metrics' switch time). */
export const SWITCHED_DESCRIPTION = 'traffic switched to';

/** The suite's payload of a deployment, or undefined for one it did not write. GitHub may return it as a JSON string. */
export function readPayload(raw: unknown): SidhePayload | undefined {
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      return undefined;
    }
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const payload = value as Partial<SidhePayload>;
  const ok = payload.sidhe === 1 && typeof payload.operation === 'string' && (payload.kind === 'deploy' || payload.kind === 'rollback');
  return ok ? (payload as SidhePayload) : undefined;
}
