import type { RunningRelease } from '../deploy/target.ts';
import { errorMessage } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { describeTraffic } from '../routing/route-view.ts';
import { describeRelease, readLiveState } from '../strategies/live-state.ts';
import { onHost, type FleetHost } from './fleet-host.ts';

/** What one host serves, for the outputs and the summary. */
export interface HostRelease {
  host: string;
  /** The release its router sends (most) traffic to; undefined when none or unreadable. */
  release?: RunningRelease;
  /** `blue 0% (127.0.0.1:8001), green 100% (127.0.0.1:8002)`. */
  traffic?: string;
  /** Why the host could not be read. */
  error?: string;
}

export interface FleetReleases {
  hosts: HostRelease[];
  /** Set when the hosts do not all serve one running release: what each serves. */
  split?: string;
}

/**
 * Reads every host on its own (not through the fleet's merged view) and says whether the fleet
 * serves one release. Each host is logged; a split is logged as an error, so a fleet never ends
 * split across two releases without saying so. The door shows `hosts` and fails the run on a split.
 */
export async function readFleetReleases(hosts: readonly FleetHost[], selector: { app: string; environment: string }, logger: Logger): Promise<FleetReleases> {
  const states = await Promise.all(
    hosts.map(async (host): Promise<HostRelease> => {
      try {
        const view = await host.router.inspect();
        const { live } = readLiveState(view, await host.target.list(selector));
        return { host: host.name, ...(live ? { release: live } : {}), traffic: describeTraffic(view) };
      } catch (error) {
        return { host: host.name, error: errorMessage(error) };
      }
    }),
  );
  for (const state of states) logger.info(onHost({ name: state.host }, serves(state)));
  const one = states.every((s) => s.release?.status.running && s.release.labels.release === states[0]!.release?.labels.release);
  if (one) return { hosts: states };
  const split = `the hosts do not all serve one release: ${states.map((s) => onHost({ name: s.host }, serves(s))).join('; ')}`;
  logger.error(split);
  return { hosts: states, split };
}

function serves(state: HostRelease): string {
  if (state.error !== undefined) return `could not be read: ${state.error}`;
  const running = state.release && !state.release.status.running ? ` (${state.release.status.state})` : '';
  return `serves ${describeRelease(state.release)}${running}; ${state.traffic}`;
}
