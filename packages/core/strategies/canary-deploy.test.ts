import { describe, expect, it } from 'vitest';
import { DeployFailure } from './deploy-failure.ts';
import { deployCanary } from './canary-deploy.ts';
import { canaryPorts, canarySettings } from './testing/canary-fixture.ts';
import { neverHealthy } from './testing/fake-prober.ts';
import {
  BLUE,
  BLUE_ADDRESS,
  changes,
  DIGEST,
  deployed,
  expectLockedThroughout,
  GREEN,
  GREEN_ADDRESS,
  IMAGE,
  nextReleaseId,
  shopWorld,
} from './testing/shop-fixture.ts';

describe('deployCanary', () => {
  it('promotes a canary that passes every step: all traffic to it, stable kept running in the idle colour', async () => {
    const w = shopWorld();
    const [v1] = await deployed(w, 'v1');
    const ports = canaryPorts(w);
    const id = nextReleaseId(w, DIGEST.v2);
    const result = await deployCanary(canarySettings(IMAGE.v2), ports);

    expect(result.outcome).toBe('promoted');
    expect(result.canaryWeight).toBe(100);
    expect(result.canary?.labels).toMatchObject({ release: id, colour: 'green', port: 8002, healthPath: '/health', previousRelease: v1!.labels.release });
    expect(w.router.weights()).toEqual({ blue: 0, green: 100 });
    expect(w.router.addresses()).toEqual({ blue: BLUE_ADDRESS, green: GREEN_ADDRESS });
    expect(w.target.snapshot()).toEqual({ [BLUE]: `running ${v1!.labels.release}`, [GREEN]: `running ${id}` });
    // Where traffic went, step by step: the canary's path is its contract.
    expect(w.router.traffic).toEqual([{ blue: 90, green: 10 }, { blue: 50, green: 50 }, { green: 100 }]);
    const [judge] = ports.measuring.judges;
    expect(result.steps.map((s) => [s.weight, s.decision, s.looks])).toEqual([
      [10, 'pass', 5],
      [50, 'pass', 5],
      [100, 'pass', 5],
    ]);
    expect(result.analyses).toHaveLength(15);
    expect(judge!.looks[0]).toMatchObject({ canary: { requests: 100 }, stable: { requests: 100 } });
    expect(ports.measuring.pairs[0]).toMatchObject({ canary: { release: id, colour: 'green' }, stable: { release: v1!.labels.release, colour: 'blue' } });
    expect(ports.measuring.metrics[0]!.closed).toBe(true);
    expect(w.events).toEqual(['canary.started', 'deploy.release_started', 'deploy.healthy', 'canary.step', 'canary.step', 'canary.step', 'canary.promoted']);
    expectLockedThroughout(w);
  });

  it('aborts at once on a failed verdict at step 1: traffic wholly on stable, canary removed, the release it replaced started again', async () => {
    const w = shopWorld();
    const [v1, v2] = await deployed(w, 'v1', 'v2');
    const ports = canaryPorts(w, (step, _weight, look) => (step === 0 && look === 2 ? 'fail' : 'pass'));
    const before = w.clock.now();
    const result = await deployCanary(canarySettings(IMAGE.v3), ports);

    expect(result.outcome).toBe('aborted');
    expect(result.canaryWeight).toBe(0);
    expect(result.reasons).toEqual(['error rate 5.0% vs 0.1% (p = 0.0001)']);
    expect(w.router.weights()).toEqual({ blue: 0, green: 100 });
    expect(w.target.snapshot()).toEqual({ [BLUE]: `running ${v1!.labels.release}`, [GREEN]: `running ${v2!.labels.release}` });
    expect(result.steps).toMatchObject([{ weight: 10, decision: 'fail', looks: 2 }]);
    expect(result.weights.map((p) => p.weight)).toEqual([10, 0]);
    // Two looks of 2 s after the canary was proven healthy: the abort does not wait for the step to end.
    expect(w.clock.now() - before).toBeLessThan(10_000);
    expect(w.events.slice(-2)).toEqual(['canary.step', 'canary.aborted']);
    expectLockedThroughout(w);
  });

  it('aborts a step that ends inconclusive when on-inconclusive is abort', async () => {
    const w = shopWorld();
    const [v1] = await deployed(w, 'v1');
    const result = await deployCanary(
      canarySettings(IMAGE.v2),
      canaryPorts(w, (step) => (step === 1 ? 'inconclusive' : 'pass')),
    );

    expect(result.outcome).toBe('aborted');
    expect(result.reasons).toEqual(['step 2 (50%) had no verdict after 10s: too few requests: 3 of 50']);
    expect(w.router.weights()).toEqual({ blue: 100, green: 0 });
    expect(w.target.snapshot()).toEqual({ [BLUE]: `running ${v1!.labels.release}` });
  });

  it('pauses a step that ends inconclusive when on-inconclusive is pause, leaving the weights as they are', async () => {
    const w = shopWorld();
    const [v1] = await deployed(w, 'v1');
    const id = nextReleaseId(w, DIGEST.v2);
    const result = await deployCanary(
      canarySettings(IMAGE.v2, { onInconclusive: 'pause' }),
      canaryPorts(w, (step) => (step === 1 ? 'inconclusive' : 'pass')),
    );

    expect(result.outcome).toBe('paused');
    expect(result.canaryWeight).toBe(50);
    expect(w.router.weights()).toEqual({ blue: 50, green: 50 });
    expect(w.target.snapshot()).toEqual({ [BLUE]: `running ${v1!.labels.release}`, [GREEN]: `running ${id}` });
    expect(w.events.at(-1)).toBe('canary.paused');
    expectLockedThroughout(w);
  });

  it('retries a metrics read that fails, and aborts after 3 failures in a row', async () => {
    const retried = shopWorld();
    await deployed(retried, 'v1');
    const twice = await deployCanary(
      canarySettings(IMAGE.v2),
      canaryPorts(retried, undefined, (read) => (read === 3 || read === 4 ? 'connection refused' : undefined)),
    );
    expect(twice.outcome).toBe('promoted');
    expect(retried.logger.lines).toContain('warning fake HAProxy counters could not be read (2 of 3 in a row): connection refused');

    const w = shopWorld();
    const [v1] = await deployed(w, 'v1');
    const result = await deployCanary(
      canarySettings(IMAGE.v2),
      canaryPorts(w, undefined, (read) => (read >= 3 ? 'connection refused' : undefined)),
    );
    expect(result.outcome).toBe('aborted');
    expect(result.reasons).toEqual(['fake HAProxy counters could not be read 3 times in a row: connection refused']);
    expect(w.router.weights()).toEqual({ blue: 100, green: 0 });
    expect(w.target.snapshot()).toEqual({ [BLUE]: `running ${v1!.labels.release}` });
  });

  it('stops at the last step below 100% when auto-promote is false', async () => {
    const w = shopWorld();
    await deployed(w, 'v1');
    const ports = canaryPorts(w);
    const result = await deployCanary(canarySettings(IMAGE.v2, { autoPromote: false }), ports);

    expect(result.outcome).toBe('paused');
    expect(result.canaryWeight).toBe(50);
    expect(result.steps.map((s) => s.weight)).toEqual([10, 50]);
    expect(w.router.weights()).toEqual({ blue: 50, green: 50 });
  });

  it('refuses a canary that never becomes healthy: stable serves, no step was taken, the idle release is started again', async () => {
    const w = shopWorld();
    const [v1, v2] = await deployed(w, 'v1', 'v2');
    w.prober.answer(BLUE_ADDRESS, neverHealthy);
    const ports = canaryPorts(w);
    const failure = await deployCanary(canarySettings(IMAGE.v3, { healthTimeoutMs: 5_000 }), ports).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(DeployFailure);
    expect((failure as DeployFailure).message).toMatch(/did not become healthy within 5s: .*; traffic stayed on release .*; the new container was removed$/);
    expect(w.router.weights()).toEqual({ blue: 0, green: 100 });
    expect(w.target.snapshot()).toEqual({ [BLUE]: `running ${v1!.labels.release}`, [GREEN]: `running ${v2!.labels.release}` });
    expect(w.journal.filter((line) => line.startsWith('router apply'))).toEqual([]);
    expect(ports.measuring.metrics[0]!.closed).toBe(true);
    expect(w.events.at(-1)).toBe('deploy.failed');
    expectLockedThroughout(w);
  });

  it('aborts onto stable when the router refuses a step', async () => {
    const w = shopWorld();
    const [v1] = await deployed(w, 'v1');
    const ports = canaryPorts(w);
    let applies = 0;
    const apply = w.router.apply.bind(w.router);
    w.router.apply = async (plan) => {
      if (++applies === 2) w.router.refuse('nginx -t failed: unknown directive');
      return apply(plan);
    };
    const failure = await deployCanary(canarySettings(IMAGE.v2), ports).catch((error: unknown) => error);

    expect((failure as Error).message).toMatch(
      /^nginx -t failed: unknown directive; the canary r\d{14}-[0-9a-f]{12} was aborted: all traffic is on release .* \(ghcr.io\/acme\/shop:1.0.0, blue\)$/,
    );
    expect(w.router.weights()).toEqual({ blue: 100, green: 0 });
    expect(w.target.snapshot()).toEqual({ [BLUE]: `running ${v1!.labels.release}` });
    expect(w.events.slice(-2)).toEqual(['canary.aborted', 'deploy.failed']);
  });

  it('sends all traffic to the first release when no stable one runs', async () => {
    const w = shopWorld();
    const result = await deployCanary(canarySettings(IMAGE.v1), canaryPorts(w));
    expect(result.outcome).toBe('promoted');
    expect(result.reasons[0]).toMatch(/^no stable release ran to compare with/);
    expect(w.router.weights()).toEqual({ blue: 100, green: 0 });
  });

  it('changes nothing when stable already runs the image', async () => {
    const w = shopWorld();
    await deployed(w, 'v1');
    const result = await deployCanary(canarySettings(IMAGE.v1), canaryPorts(w));
    expect(result).toMatchObject({ outcome: 'promoted', unchanged: true });
    expect(w.events).toEqual(['canary.started', 'deploy.unchanged']);
    expect(changes(w)).toEqual([]);
  });
});

describe('a canary left sharing traffic', () => {
  it('by a run killed mid-step is aborted first (all traffic to stable), and the new canary goes through', async () => {
    const w = shopWorld();
    const [v1] = await deployed(w, 'v1');
    // A killed run left v2 in green at 30%.
    const left = await deployCanary(canarySettings(IMAGE.v2, { autoPromote: false, steps: [30] }), canaryPorts(w));
    expect(w.router.weights()).toEqual({ blue: 70, green: 30 });
    w.journal.length = 0;
    const id = nextReleaseId(w, DIGEST.v3);
    const result = await deployCanary(canarySettings(IMAGE.v3), canaryPorts(w));

    expect(result.outcome).toBe('promoted');
    // Order is the contract: the left canary loses its traffic before its container goes, and both
    // happen before the new canary starts in its place.
    expect(changes(w).slice(0, 3)).toEqual([`router apply blue=100@${BLUE_ADDRESS} green=0`, `remove ${GREEN}`, `start ${GREEN} ${id}`]);
    expect(w.router.weights()).toEqual({ blue: 0, green: 100 });
    expect(w.target.snapshot()).toEqual({ [BLUE]: `running ${v1!.labels.release}`, [GREEN]: `running ${id}` });
    expect(left.canary?.labels.release).not.toBe(id);
  });

  it('when paused, is replaced by a re-run of the same image', async () => {
    const w = shopWorld();
    await deployed(w, 'v1');
    await deployCanary(canarySettings(IMAGE.v2, { autoPromote: false }), canaryPorts(w));
    w.clock.advance(1_000);
    const result = await deployCanary(canarySettings(IMAGE.v2), canaryPorts(w));
    expect(result.outcome).toBe('promoted');
    expect(w.router.weights()).toEqual({ blue: 0, green: 100 });
    expect(result.canary?.labels.image).toBe(IMAGE.v2);
  });

  it('whose stable release died: the canary still running keeps all traffic', async () => {
    const w = shopWorld();
    await deployed(w, 'v1');
    const paused = await deployCanary(canarySettings(IMAGE.v2, { autoPromote: false, steps: [30] }), canaryPorts(w));
    await w.target.stop(BLUE);
    const result = await deployCanary(canarySettings(IMAGE.v3), canaryPorts(w));
    // v2 became stable: the v3 canary was judged against it in blue.
    expect(result.stable?.labels.release).toBe(paused.canary?.labels.release);
    expect(result.outcome).toBe('promoted');
    expect(w.router.weights()).toEqual({ blue: 100, green: 0 });
  });
});
