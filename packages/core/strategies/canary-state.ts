import { BASELINE_SLOT, COLOURS } from '../deploy/release.ts';
import type { ReleaseContainer, RunningRelease } from '../deploy/target.ts';
import type { RouteView } from '../routing/router.ts';
import { otherColour, readLiveState, type LiveState } from './live-state.ts';

/**
 * Where a canary stands, read from the router's weights and the containers' labels (there is no
 * other state). Both colours taking traffic means a canary is under way, paused, or was left by a
 * killed run: the newer release is the canary, the older the stable one it is judged against.
 */
export interface CanaryState {
  live: LiveState;
  /** The release the canary is compared with; without a canary, the one taking all traffic. */
  stable?: RunningRelease;
  /** The newer release, while both colours take traffic (its container may have died). */
  canary?: RunningRelease;
  /** Both colours take traffic: a canary is paused, or was left mid-step by a run that died. */
  shared: boolean;
  /** The canary colour's share of traffic in %; 0 when traffic is not shared. */
  canaryWeight: number;
  /** A baseline container a canary run left, whatever its state or share. */
  baseline?: RunningRelease;
}

export function readCanaryState(view: RouteView, containers: readonly ReleaseContainer[]): CanaryState {
  const live = readLiveState(view, containers);
  const baselineFound = containers.find((c): c is RunningRelease => c.trusted && c.labels.role === 'baseline');
  const baseline = baselineFound ? { baseline: baselineFound } : {};
  // At 50% with a baseline, stable's own colour takes nothing: the baseline's share still marks a canary.
  const shared = COLOURS.every((colour) => (view.slots[colour]?.weight ?? 0) > 0) || (view.slots[BASELINE_SLOT]?.weight ?? 0) > 0;
  if (!shared) return { live, ...(live.live ? { stable: live.live } : {}), shared, canaryWeight: 0, ...baseline };
  const running = COLOURS.flatMap((colour) => (live.byColour[colour]?.status.running ? [live.byColour[colour]] : []));
  // The older of two running releases is stable; when one died, the one still running keeps the traffic.
  running.sort((a, b) => a.labels.release.localeCompare(b.labels.release));
  const stable = running[0];
  const canaryColour = stable ? otherColour(stable.labels.colour) : undefined;
  const canary = canaryColour ? live.byColour[canaryColour] : undefined;
  return {
    live,
    ...(stable ? { stable } : {}),
    ...(canary ? { canary } : {}),
    shared,
    canaryWeight: canaryColour ? (view.slots[canaryColour]?.weight ?? 0) : 0,
    ...baseline,
  };
}
