/**
 * One deploy or rollback as the metrics see it, whichever history it was read from (GitHub
 * Deployments, the Redis event stream). Times are ms since the epoch.
 */
export interface DeploymentRecord {
  /** The action run's operation id: the same deploy read from two sources has one id. */
  id: string;
  app?: string;
  environment: string;
  kind: 'deploy' | 'rollback';
  strategy?: 'direct' | 'blue_green' | 'canary';
  release?: string;
  commit?: string;
  /** When the deployed commit was made, for lead time; absent when unknown. */
  committedAt?: number;
  startedAt: number;
  /** When traffic first reached the release; absent when it never did. */
  switchedAt?: number;
  /** When it ended, whatever the outcome. */
  finishedAt?: number;
  /**
   * succeeded: the release serves. switched_back: it took traffic, turned unhealthy and traffic went
   * back (a change failure, restored by itself). refused: it failed before any traffic reached it.
   * in_progress: not finished (still running, or its run died).
   */
  outcome: 'succeeded' | 'switched_back' | 'refused' | 'in_progress';
}

/**
 * One list from several histories: a run both recorded (same id) counts once, with the finer times of
 * the later source (the event bus has milliseconds, GitHub whole seconds) and whatever either knows.
 */
export function mergeRecords(...sources: readonly (readonly DeploymentRecord[])[]): DeploymentRecord[] {
  const byId = new Map<string, DeploymentRecord>();
  for (const record of sources.flat()) {
    const known = byId.get(record.id);
    byId.set(record.id, known ? { ...known, ...record } : record);
  }
  return [...byId.values()];
}
