/** A release that served an environment once, as a deployment history recorded it. */
export interface RecordedRelease {
  release: string;
  image: string;
  commit?: string;
  /** ISO time it was recorded. */
  deployedAt: string;
}

/**
 * A record of past deploys kept outside the host (GitHub Deployments): what rollback asks when the
 * host itself no longer knows what served before.
 */
export interface ReleaseHistory {
  /** e.g. `GitHub Deployments of acme/shop`, for messages. */
  describe(): string;
  /**
   * The newest release of the app that served the environment successfully and is not `current`
   * (the live release; when none serves, the newest successful one counts as current).
   */
  previousRelease(query: { app: string; environment: string; current?: string }): Promise<RecordedRelease | undefined>;
}
