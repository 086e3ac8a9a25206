import { describe, expect, it } from 'vitest';
import { readLiveState } from './live-state.ts';
import { deployCanary } from './canary-deploy.ts';
import { controlCanary } from './canary-control.ts';
import { baselineWeight, splitWithBaseline } from './canary-baseline.ts';
import { readCanaryState } from './canary-state.ts';
import { canaryPorts, canarySettings, controlSettings } from './testing/canary-fixture.ts';
import { neverHealthy } from './testing/fake-prober.ts';
import { BLUE, BLUE_ADDRESS, deployed, expectLockedThroughout, GREEN, GREEN_ADDRESS, IMAGE, shopWorld } from './testing/shop-fixture.ts';
import type { RunningRelease } from '../deploy/target.ts';

const BASELINE = 'sidhe-shop.production-baseline';
const BASELINE_ADDRESS = '127.0.0.1:8003';
const withBaseline = { baseline: { port: 8003 } };

const release = (colour: 'blue' | 'green', port: number): RunningRelease =>
  ({
    name: colour,
    id: colour,
    status: { state: 'running', running: true, exitCode: 0, health: 'none' },
    trusted: true,
    labels: { colour, port },
  }) as RunningRelease;

describe('the weights of a canary step with a baseline', () => {
  it('gives the baseline the canary weight up to 50%, stable the rest, and none above', () => {
    const weights = (w: number) =>
      Object.fromEntries(
        Object.entries(splitWithBaseline(release('blue', 8001), release('green', 8002), release('blue', 8003), w).slots).map(([slot, t]) => [slot, t.weight]),
      );
    expect(weights(10)).toEqual({ blue: 80, green: 10, baseline: 10 });
    expect(weights(33)).toEqual({ blue: 34, green: 33, baseline: 33 });
    expect(weights(50)).toEqual({ blue: 0, green: 50, baseline: 50 });
    expect(weights(70)).toEqual({ blue: 30, green: 70, baseline: 0 });
    expect(weights(100)).toEqual({ blue: 0, green: 100, baseline: 0 });
    expect([1, 50, 51].map(baselineWeight)).toEqual([1, 50, 0]);
  });
});

describe('deployCanary with a baseline', () => {
  it('compares the canary with a fresh stable container at its weight, then removes it at promotion', async () => {
    const w = shopWorld();
    const [v1] = await deployed(w, 'v1');
    const ports = canaryPorts(w);
    const result = await deployCanary(canarySettings(IMAGE.v2, { steps: [10, 50, 70, 100], ...withBaseline }), ports);

    expect(result.outcome).toBe('promoted');
    expect(result.baseline?.labels).toMatchObject({ role: 'baseline', release: v1!.labels.release, image: IMAGE.v1, colour: 'blue', port: 8003 });
    // Where traffic went, step by step: the baseline takes the canary's weight from stable up to 50%.
    expect(w.router.traffic).toEqual([{ baseline: 10, blue: 80, green: 10 }, { baseline: 50, green: 50 }, { blue: 30, green: 70 }, { green: 100 }]);
    expect(w.router.addresses()).toMatchObject({ blue: BLUE_ADDRESS, green: GREEN_ADDRESS, baseline: BASELINE_ADDRESS });
    expect(result.steps.map((s) => [s.weight, s.comparedWith])).toEqual([
      [10, 'baseline'],
      [50, 'baseline'],
      [70, 'stable'],
      [100, 'stable'],
    ]);
    // The fake source answers 77 requests in the baseline slot, 100 in each colour.
    const judged = ports.measuring.judges[0]!.looks.map((look) => look.stable.requests);
    expect(judged.slice(0, 10).every((n) => n === 77) && judged.slice(10).every((n) => n === 100)).toBe(true);
    expect(ports.measuring.pairs[0]!.baseline).toMatchObject({ role: 'baseline', port: 8003 });
    expect(w.target.snapshot()).toEqual({ [BLUE]: `running ${v1!.labels.release}`, [GREEN]: `running ${result.canary!.labels.release}` });
    expectLockedThroughout(w);
  });

  it('removes the baseline with the canary when the judge aborts', async () => {
    const w = shopWorld();
    const [v1] = await deployed(w, 'v1');
    const result = await deployCanary(
      canarySettings(IMAGE.v2, withBaseline),
      canaryPorts(w, (step, _w, look) => (step === 0 && look === 2 ? 'fail' : 'pass')),
    );

    expect(result.outcome).toBe('aborted');
    expect(result.steps[0]!.comparedWith).toBe('baseline');
    expect(w.router.weights()).toEqual({ blue: 100, green: 0, baseline: 0 });
    expect(w.target.snapshot()).toEqual({ [BLUE]: `running ${v1!.labels.release}` });
  });

  it('gives the baseline share back to stable and removes it when the canary pauses; promote finishes as usual', async () => {
    const w = shopWorld();
    const [v1] = await deployed(w, 'v1');
    const paused = await deployCanary(canarySettings(IMAGE.v2, { autoPromote: false, ...withBaseline }), canaryPorts(w));

    expect(paused.outcome).toBe('paused');
    expect(w.router.weights()).toEqual({ blue: 50, green: 50, baseline: 0 });
    expect(w.target.snapshot()).toEqual({ [BLUE]: `running ${v1!.labels.release}`, [GREEN]: `running ${paused.canary!.labels.release}` });
    expect((await controlCanary('promote', controlSettings, w.ports)).outcome).toBe('promoted');
    expect(w.router.weights()).toEqual({ blue: 0, green: 100, baseline: 0 });
  });

  it('refuses a baseline that never becomes healthy before any canary starts: stable keeps all traffic', async () => {
    const w = shopWorld();
    const [v1] = await deployed(w, 'v1');
    w.prober.answer(BASELINE_ADDRESS, neverHealthy);
    const failure = await deployCanary(canarySettings(IMAGE.v2, { healthTimeoutMs: 5_000, ...withBaseline }), canaryPorts(w)).catch((error: unknown) => error);

    expect((failure as Error).message).toMatch(
      /^the baseline of release \S+ \(ghcr.io\/acme\/shop:1.0.0, blue\) did not become healthy within 5s: .*; traffic stayed on release .*; no canary was started$/,
    );
    expect(w.router.weights()).toEqual({ blue: 100, green: 0, baseline: 0 });
    expect(w.target.snapshot()).toEqual({ [BLUE]: `running ${v1!.labels.release}` });
  });

  it('converges after a run killed at 50% with a baseline: never taken for the live release, removed by the next run', async () => {
    const w = shopWorld();
    const [v1] = await deployed(w, 'v1');
    const paused = await deployCanary(canarySettings(IMAGE.v2, { autoPromote: false, ...withBaseline }), canaryPorts(w));
    // What a run killed mid-step leaves: its baseline running and taking the canary's share.
    const baseline = await w.target.start({ labels: { ...v1!.labels, role: 'baseline', port: 8003 }, env: {} });
    await w.router.apply(splitWithBaseline(v1!, paused.canary!, baseline, 50));

    const state = readCanaryState(await w.router.inspect(), await w.target.list({ app: 'shop', environment: 'production' }));
    expect(state).toMatchObject({ shared: true, stable: { name: BLUE }, canary: { name: GREEN }, baseline: { name: BASELINE } });
    expect(readLiveState(await w.router.inspect(), await w.target.list({ app: 'shop' })).byColour.blue?.name).toBe(BLUE);

    const rerun = await deployCanary(canarySettings(IMAGE.v3), canaryPorts(w));
    expect(rerun.outcome).toBe('promoted');
    expect(Object.keys(w.target.snapshot())).not.toContain(BASELINE);
    expect(w.router.weights()).toMatchObject({ baseline: 0 });
  });
});
