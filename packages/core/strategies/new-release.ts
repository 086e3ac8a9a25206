import { releaseId, type Colour, type ReleaseLabels } from '../deploy/release.ts';
import type { RunningRelease } from '../deploy/target.ts';
import type { LockSettings } from './environment-locking.ts';
import type { ReleaseHealthSettings } from './release-health.ts';

/** What a deploy knows of the release it is about to start, whatever its strategy. */
export interface NewReleaseSettings {
  app: string;
  environment: string;
  image: string;
  commit?: string;
  actor?: string;
  ports: Record<Colour, number>;
  health: ReleaseHealthSettings;
}

/** What every strategy that starts a new release is given besides its own timings. */
export interface DeploySettings extends NewReleaseSettings {
  /** The service's environment: secrets, never logged. */
  env: Readonly<Record<string, string>>;
  healthTimeoutMs: number;
  lock: LockSettings;
}

/**
 * The labels of a new release of `image` in `colour`, deployed `now`: what every later run (deploy,
 * canary, rollback) reads back from the host, including the release it replaces.
 */
export function newReleaseLabels(
  settings: NewReleaseSettings,
  release: { colour: Colour; imageDigest: string; envHash: string; now: Date; replacing: RunningRelease | undefined },
): ReleaseLabels {
  const { colour, imageDigest, envHash, now, replacing } = release;
  return {
    app: settings.app,
    environment: settings.environment,
    colour,
    release: releaseId(now, imageDigest),
    image: settings.image,
    imageDigest,
    deployedAt: now.toISOString(),
    port: settings.ports[colour],
    healthPath: settings.health.path,
    envHash,
    ...(settings.commit ? { commit: settings.commit } : {}),
    ...(settings.actor ? { actor: settings.actor } : {}),
    ...(replacing ? { previousRelease: replacing.labels.release, previousImage: replacing.labels.image } : {}),
  };
}
