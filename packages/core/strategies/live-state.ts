import { COLOURS, type Colour } from '../deploy/release.ts';
import type { ReleaseContainer, RunningRelease } from '../deploy/target.ts';
import type { RouteView } from '../routing/router.ts';

/** What serves an app's environment now, read from the router (traffic) and the host (labels). */
export interface LiveState {
  /** The colour with the larger share of traffic; undefined before the first deploy. */
  liveColour?: Colour;
  /** The release in the live colour's container, when its labels can be trusted. */
  live?: RunningRelease;
  /** The colour a deploy starts the new release in. */
  idleColour: Colour;
  /** The trusted container of each colour, whatever its state. */
  byColour: Partial<Record<Colour, RunningRelease>>;
}

export const otherColour = (colour: Colour): Colour => (colour === 'blue' ? 'green' : 'blue');

export function readLiveState(view: RouteView, containers: readonly ReleaseContainer[]): LiveState {
  const byColour: Partial<Record<Colour, RunningRelease>> = {};
  for (const container of containers) {
    // A canary's baseline runs the stable release beside it but is never the release of a colour.
    if (container.trusted && container.labels.role !== 'baseline') byColour[container.labels.colour] = container;
  }
  const weights = COLOURS.map((colour) => ({ colour, weight: view.slots[colour]?.weight ?? 0 }));
  const top = weights.reduce((a, b) => (b.weight > a.weight ? b : a));
  // A tie above zero (a run killed mid-switch) counts the colour holding the newer release as live.
  const tie = weights.every((w) => w.weight === top.weight) && top.weight > 0;
  const liveColour = top.weight === 0 ? undefined : tie ? (newest(byColour) ?? top.colour) : top.colour;
  const live = liveColour ? byColour[liveColour] : undefined;
  return { liveColour, live, idleColour: liveColour ? otherColour(liveColour) : 'blue', byColour };
}

function newest(byColour: Partial<Record<Colour, RunningRelease>>): Colour | undefined {
  const releases = Object.values(byColour).filter((r) => r.status.running);
  releases.sort((a, b) => b.labels.release.localeCompare(a.labels.release));
  return releases[0]?.labels.colour;
}

export function describeRelease(release: RunningRelease | undefined, colour?: Colour): string {
  if (!release) return colour ? `the ${colour} slot (no release recorded)` : 'no release';
  return `release ${release.labels.release} (${release.labels.image}, ${release.labels.colour})`;
}
