import { DEFAULT_CRITERIA, DEFAULT_SESSION } from '../health/criteria.ts';
import type { HealthReport } from '../health/report.ts';
import { runHealthSession } from '../health/session.ts';
import { parseTargets } from '../health/targets.ts';
import type { RunningRelease } from '../deploy/target.ts';
import type { DeployPorts } from './deploy-ports.ts';

export interface ReleaseHealthSettings {
  /** HTTP path probed on the release's own port, e.g. `/health`. */
  path: string;
  intervalMs: number;
}

/** The release's own address, as the router and the probes reach it. */
export const releaseAddress = (release: { labels: { port: number } }): string => `127.0.0.1:${release.labels.port}`;

/**
 * Probes a release directly (not through the router): its HTTP health path and its container's own
 * state. `prove` waits up to windowMs for requiredSuccesses healthy rounds in a row; `watch` requires every round of
 * the window to be healthy and stops at the first that is not.
 */
export function checkRelease(
  ports: Pick<DeployPorts, 'prober' | 'clock' | 'logger'>,
  release: RunningRelease,
  settings: ReleaseHealthSettings,
  mode: 'prove' | 'watch',
  windowMs: number,
  requiredSuccesses = 3,
): Promise<HealthReport> {
  const targets = parseTargets(`http://${releaseAddress(release)}${settings.path}\ncontainer://${release.name}`, 'health-path');
  return runHealthSession(
    {
      targets,
      criteria: { ...DEFAULT_CRITERIA, samples: 3 },
      session: {
        ...DEFAULT_SESSION,
        timeoutMs: windowMs,
        intervalMs: settings.intervalMs,
        // A proof's window is its timeout; an observation's is how long to watch (see runHealthSession).
        requestTimeoutMs: mode === 'watch' ? DEFAULT_SESSION.requestTimeoutMs : Math.min(DEFAULT_SESSION.requestTimeoutMs, windowMs),
        requiredSuccesses,
        watch: mode === 'watch',
      },
    },
    ports,
  );
}
