import { describe, expect, it } from 'vitest';
import type { Colour } from '../deploy/release.ts';
import type { ReleaseContainer, RunningRelease } from '../deploy/target.ts';
import type { RouteView } from '../routing/router.ts';
import { describeRelease, readLiveState } from './live-state.ts';

function release(colour: Colour, release: string, running = true): RunningRelease {
  return {
    name: `sidhe-shop.production-${colour}`,
    id: `c-${colour}`,
    trusted: true,
    status: { state: running ? 'running' : 'exited', running, exitCode: 0, health: 'none' },
    labels: {
      app: 'shop',
      environment: 'production',
      colour,
      release,
      image: `ghcr.io/acme/shop:${release}`,
      imageDigest: `sha256:${'a'.repeat(64)}`,
      deployedAt: '2025-03-01T12:00:00.000Z',
      port: colour === 'blue' ? 8001 : 8002,
    },
  };
}

const view = (blue: number, green: number): RouteView => ({
  service: 'shop-production',
  slots: {
    blue: { address: '127.0.0.1:8001', weight: blue, admin: 'ready', health: 'up', detail: '' },
    green: { address: '127.0.0.1:8002', weight: green, admin: 'ready', health: 'up', detail: '' },
  },
});

const OLD = 'r20250301120000-111111111111';
const NEW = 'r20250301130000-222222222222';

describe('readLiveState', () => {
  it('has no live colour before the first deploy and starts in blue', () => {
    const state = readLiveState(view(0, 0), []);
    expect(state).toEqual({ liveColour: undefined, live: undefined, idleColour: 'blue', byColour: {} });
  });

  it('takes the colour with the larger weight as live', () => {
    const state = readLiveState(view(0, 100), [release('blue', OLD), release('green', NEW)]);
    expect([state.liveColour, state.idleColour, state.live?.labels.release]).toEqual(['green', 'blue', NEW]);
  });

  it('breaks a tie above zero (a run killed mid-switch) towards the newer running release', () => {
    expect(readLiveState(view(100, 100), [release('blue', NEW), release('green', OLD)]).liveColour).toBe('blue');
    expect(readLiveState(view(50, 50), [release('blue', OLD), release('green', NEW)]).liveColour).toBe('green');
    expect(readLiveState(view(50, 50), [release('blue', OLD), release('green', NEW, false)]).liveColour).toBe('blue');
  });

  it('leaves out containers whose labels are not trusted', () => {
    const untrusted: ReleaseContainer = {
      name: 'sidhe-shop.production-green',
      id: 'x',
      trusted: false,
      problem: 'labels not trusted',
      status: release('green', NEW).status,
    };
    const state = readLiveState(view(0, 100), [release('blue', OLD), untrusted]);
    expect(state.liveColour).toBe('green');
    expect(state.live).toBeUndefined();
    expect(Object.keys(state.byColour)).toEqual(['blue']);
    expect(describeRelease(state.live, state.liveColour)).toBe('the green slot (no release recorded)');
  });
});
