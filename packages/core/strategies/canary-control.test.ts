import { describe, expect, it } from 'vitest';
import { ActionFailure } from '../errors.ts';
import { deployCanary } from './canary-deploy.ts';
import { controlCanary } from './canary-control.ts';
import { DeployFailure } from './deploy-failure.ts';
import { canaryPorts, canarySettings, controlSettings } from './testing/canary-fixture.ts';
import { neverHealthy } from './testing/fake-prober.ts';
import { BLUE, deployed, expectLockedThroughout, GREEN, GREEN_ADDRESS, IMAGE, shopWorld } from './testing/shop-fixture.ts';

/** v1 stable in blue, v2 a canary paused at 50% in green. */
async function pausedCanary() {
  const w = shopWorld();
  const [v1] = await deployed(w, 'v1');
  const paused = await deployCanary(canarySettings(IMAGE.v2, { autoPromote: false }), canaryPorts(w));
  w.journal.length = 0;
  w.events.length = 0;
  return { w, v1: v1!, v2: paused.canary! };
}

describe('controlCanary', () => {
  it('promotes a paused canary from what the deploy recorded: all traffic to it, stable kept running', async () => {
    const { w, v1, v2 } = await pausedCanary();
    const result = await controlCanary('promote', controlSettings, w.ports);

    expect(result).toMatchObject({ outcome: 'promoted', canaryWeight: 100 });
    expect(w.router.weights()).toEqual({ blue: 0, green: 100 });
    expect(w.target.snapshot()).toEqual({ [BLUE]: `running ${v1.labels.release}`, [GREEN]: `running ${v2.labels.release}` });
    expect(w.prober.roundsAt(GREEN_ADDRESS)).toBeGreaterThan(0);
    expect(w.events).toEqual(['canary.promoted']);
    expectLockedThroughout(w);
  });

  it('aborts a paused canary: all traffic to stable, the canary removed', async () => {
    const { w, v1 } = await pausedCanary();
    const result = await controlCanary('abort', { ...controlSettings, reason: 'QA found a bug' }, w.ports);

    expect(result).toMatchObject({ outcome: 'aborted', canaryWeight: 0, reasons: ['aborted by request at 50%: QA found a bug'] });
    expect(w.router.weights()).toEqual({ blue: 100, green: 0 });
    expect(w.target.snapshot()).toEqual({ [BLUE]: `running ${v1.labels.release}` });
    expect(w.events).toEqual(['canary.aborted']);
    expectLockedThroughout(w);
  });

  it('aborts instead of promoting a paused canary that stopped answering', async () => {
    const { w, v1 } = await pausedCanary();
    w.prober.answer(GREEN_ADDRESS, neverHealthy);
    const failure = await controlCanary('promote', controlSettings, w.ports).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(DeployFailure);
    expect((failure as Error).message).toMatch(
      /^release r\S+ \(ghcr.io\/acme\/shop:2.0.0, green\) is not healthy \(.*\), so it was not promoted; it was aborted: release r\S+ \(ghcr.io\/acme\/shop:1.0.0, blue\) takes all traffic$/,
    );
    expect(w.router.weights()).toEqual({ blue: 100, green: 0 });
    expect(w.target.snapshot()).toEqual({ [BLUE]: `running ${v1.labels.release}` });
  });

  it('refuses when no canary shares traffic, changing nothing', async () => {
    const w = shopWorld();
    await deployed(w, 'v1');
    const failure = await controlCanary('promote', controlSettings, w.ports).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ActionFailure);
    expect((failure as Error).message).toMatch(
      /^no canary of shop production shares traffic, so there is nothing to promote: release \S+ \(ghcr.io\/acme\/shop:1.0.0, blue\) takes all traffic on fake HAProxy backend shop-production; nothing was changed$/,
    );
    expect(w.router.weights()).toEqual({ blue: 100, green: 0 });
    expect(w.journal.filter((line) => line.startsWith('router apply'))).toEqual([]);
  });
});
