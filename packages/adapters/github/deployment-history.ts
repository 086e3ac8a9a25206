import type { RecordedRelease, ReleaseHistory } from '../../core/deploy/release-history.ts';
import { mapLimit } from '../../core/map-limit.ts';
import type { DeploymentRecord } from '../../core/metrics/deployment-record.ts';
import type { DeploymentStatusView, DeploymentView, GitHubDeploymentsApi } from './deployments-api.ts';
import { SWITCHED_DESCRIPTION, readPayload } from './deployment-payload.ts';

type HistoryApi = Pick<GitHubDeploymentsApi, 'list' | 'statuses' | 'repository'>;

/** How far back rollback searches: a previous release is among the newest deployments or nowhere useful. */
const PREVIOUS_SEARCH_LIMIT = 100;
/** GitHub allows bursts, not floods: statuses are read this many at a time. */
const CONCURRENT_READS = 8;

const served = (statuses: readonly DeploymentStatusView[]): boolean => statuses.some((s) => s.state === 'success');

/** Rollback's memory off the host: the deployments this suite recorded in GitHub. */
export class GitHubDeploymentHistory implements ReleaseHistory {
  readonly #api: HistoryApi;

  constructor(api: HistoryApi) {
    this.#api = api;
  }

  describe(): string {
    return `GitHub Deployments of ${this.#api.repository}`;
  }

  async previousRelease({ app, environment, current }: { app: string; environment: string; current?: string }): Promise<RecordedRelease | undefined> {
    let live = current;
    // A re-deploy of the live image (a rebuilt host, a re-run) is not what served before it.
    let liveImage: string | undefined;
    let searched = 0;
    for await (const deployment of this.#api.list(environment)) {
      if (++searched > PREVIOUS_SEARCH_LIMIT) return undefined;
      const payload = readPayload(deployment.payload);
      if (!payload?.release || !payload.image || payload.app !== app) continue;
      const image = payload.imageDigest ?? payload.image;
      if (payload.release === live) liveImage ??= image;
      if (payload.release === live || image === liveImage || !served(await this.#api.statuses(deployment.id))) continue;
      if (live === undefined) {
        [live, liveImage] = [payload.release, image];
        continue;
      }
      return { release: payload.release, image: payload.image, commit: deployment.sha, deployedAt: new Date(deployment.createdAt).toISOString() };
    }
    return undefined;
  }
}

/** Every deploy and rollback this suite recorded since `since` (of one environment, or all), as the metrics read them. */
export async function readDeploymentRecords(api: HistoryApi, query: { environment?: string; app?: string; since: number }): Promise<DeploymentRecord[]> {
  const deployments: DeploymentView[] = [];
  for await (const deployment of api.list(query.environment, query.since)) {
    const payload = readPayload(deployment.payload);
    if (payload && (!query.app || payload.app === query.app)) deployments.push(deployment);
  }
  return mapLimit(deployments, CONCURRENT_READS, async (d) => toRecord(d, await api.statuses(d.id)));
}

/** One deployment and its statuses (newest first) as a record: the statuses tell how it went. */
function toRecord(deployment: DeploymentView, statuses: readonly DeploymentStatusView[]): DeploymentRecord {
  const payload = readPayload(deployment.payload)!;
  const oldestFirst = [...statuses].reverse();
  const switched = oldestFirst.find((s) => s.description.startsWith(SWITCHED_DESCRIPTION));
  const end = oldestFirst.find((s) => s.state === 'success' || s.state === 'failure' || s.state === 'error');
  const outcome: DeploymentRecord['outcome'] =
    end === undefined ? 'in_progress' : end.state === 'success' ? 'succeeded' : switched ? 'switched_back' : 'refused';
  return {
    id: payload.operation || `github-deployment-${deployment.id}`,
    environment: deployment.environment,
    kind: payload.kind,
    startedAt: deployment.createdAt,
    outcome,
    commit: deployment.sha,
    ...(payload.app ? { app: payload.app } : {}),
    ...(payload.strategy ? { strategy: payload.strategy } : {}),
    ...(payload.release ? { release: payload.release } : {}),
    ...(switched ? { switchedAt: switched.createdAt } : {}),
    ...(end ? { finishedAt: end.createdAt } : {}),
  };
}
