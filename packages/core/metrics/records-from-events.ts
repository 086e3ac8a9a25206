import type { DevopsEvent } from '../events/devops-event.ts';
import type { DeploymentRecord } from './deployment-record.ts';

/** The actions whose runs are deploys; rollback's are rollbacks; others (health-check) are not counted. */
const DEPLOY_ACTIONS = new Set(['deploy-blue-green', 'deploy-canary']);

/**
 * Deploys and rollbacks as the event bus saw them: one record per action run (events share its
 * `operation`). Events without one (written before it existed) and runs that deployed nothing (the
 * release already served) are left out.
 */
export function recordsFromEvents(events: readonly DevopsEvent[]): DeploymentRecord[] {
  const runs = Map.groupBy(
    events.filter((e) => e.operation && (DEPLOY_ACTIONS.has(e.action) || e.action === 'rollback')),
    (e) => e.operation!,
  );
  return [...runs].flatMap(([operation, steps]) => {
    const record = toRecord(
      operation,
      [...steps].sort((a, b) => Date.parse(a.at) - Date.parse(b.at)),
    );
    return record ? [record] : [];
  });
}

function toRecord(operation: string, steps: readonly DevopsEvent[]): DeploymentRecord | undefined {
  const first = steps[0]!;
  if (!first.environment || steps.some((e) => e.type === 'deploy.unchanged')) return undefined;
  const kind = first.action === 'rollback' ? 'rollback' : 'deploy';
  const at = (type: DevopsEvent['type']): number | undefined => {
    const found = steps.find((e) => e.type === type);
    return found ? Date.parse(found.at) : undefined;
  };
  const succeeded = kind === 'rollback' ? at('rollback.succeeded') : (at('deploy.succeeded') ?? at('canary.promoted'));
  const aborted = steps.find((e) => e.type === 'canary.aborted');
  const firstStep = at('canary.step');
  // An aborted canary that took traffic (a step in this run, or a paused one's weight) failed users:
  // a change failure, restored when the abort put all traffic back on stable.
  const abortedAfterTraffic = aborted && (firstStep !== undefined || (aborted.weight ?? 0) > 0) ? Date.parse(aborted.at) : undefined;
  const switchedBack = at('deploy.switched_back') ?? abortedAfterTraffic;
  const failed = kind === 'rollback' ? at('rollback.failed') : (at('deploy.failed') ?? (aborted ? Date.parse(aborted.at) : undefined));
  const [outcome, finishedAt]: [DeploymentRecord['outcome'], number | undefined] =
    succeeded !== undefined
      ? ['succeeded', succeeded]
      : switchedBack !== undefined
        ? ['switched_back', switchedBack]
        : failed !== undefined
          ? ['refused', failed]
          : ['in_progress', undefined];
  // A run that only promotes a paused canary, like a rollback, moves traffic as it ends.
  const switchedAt = at('deploy.switched') ?? firstStep ?? (kind === 'rollback' || at('canary.promoted') !== undefined ? succeeded : undefined);
  const release = steps.find(
    (e) => e.release && (e.type === 'deploy.release_started' || e.type.endsWith('.succeeded') || e.type.startsWith('canary.')),
  )?.release;
  const strategy = steps.find((e) => e.strategy)?.strategy;
  const commit = steps.find((e) => e.commit)?.commit;
  return {
    id: operation,
    environment: first.environment,
    kind,
    startedAt: Date.parse(first.at),
    outcome,
    ...(first.app ? { app: first.app } : {}),
    ...(strategy ? { strategy } : {}),
    ...(release ? { release } : {}),
    ...(commit ? { commit } : {}),
    ...(switchedAt !== undefined ? { switchedAt } : {}),
    ...(finishedAt !== undefined ? { finishedAt } : {}),
  };
}
