import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Router, RouteView } from '../../core/routing/router.ts';
import { startHaproxy, type HaproxyProcess } from '../../../test/support/haproxy-process.ts';
import { createRouter } from './create-router.ts';
import { countResponses, get, startKeepAliveLoad } from './testing/keep-alive-load.ts';
import { startNamedBackends, type NamedBackend } from './testing/named-backends.ts';

let backends: Record<string, NamedBackend>;
let haproxy: HaproxyProcess;
let router: Router;

beforeAll(async () => {
  backends = await startNamedBackends(['blue', 'green', 'spare']);
  haproxy = await startHaproxy({ servers: [{ name: 'blue' }, { name: 'green' }] });
  router = createRouter('haproxy', haproxy.endpoint, 'app', { servingTimeoutMs: 5_000 });
  await router.apply({ slots: { blue: { address: backends.blue!.address, weight: 100 }, green: { address: backends.green!.address, weight: 0 } } });
});

afterAll(async () => {
  await haproxy?.stop();
  await Promise.all(Object.values(backends ?? {}).map((backend) => backend.close()));
});

function weights(view: RouteView): Record<string, [string, number]> {
  return Object.fromEntries(Object.entries(view.slots).map(([name, slot]) => [name, [slot.address, slot.weight]]));
}

/** Earlier tests leave a slot re-checking after a forced `health down`; measure from a settled state. */
async function healthy(slots: string[]): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const view = await router.inspect();
    if (slots.every((slot) => view.slots[slot]?.health === 'up')) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`slots ${slots.join(', ')} did not come up`);
}

describe('HAProxy router', () => {
  it('switches blue to green and back, and inspect shows each state', async () => {
    expect(await countResponses(haproxy.url, 100)).toEqual({ blue: 100 });
    const toGreen = await router.apply({ slots: { blue: { weight: 0 }, green: { weight: 100 } } });
    expect(weights(toGreen)).toEqual({ blue: [backends.blue!.address, 0], green: [backends.green!.address, 100] });
    expect(toGreen.slots.green).toMatchObject({ admin: 'ready', health: 'up', detail: 'UP' });
    expect(await countResponses(haproxy.url, 100)).toEqual({ green: 100 });
    await router.apply({ slots: { blue: { weight: 100 }, green: { weight: 0 } } });
    expect(await countResponses(haproxy.url, 100)).toEqual({ blue: 100 });
    expect(weights(await router.inspect())).toEqual({ blue: [backends.blue!.address, 100], green: [backends.green!.address, 0] });
  });

  it('splits new requests by exact canary weights', async () => {
    await router.apply({ slots: { blue: { weight: 90 }, green: { weight: 10 } } });
    const counts = await countResponses(haproxy.url, 1000);
    // roundrobin serves weights exactly over each cycle of 100; allow a little for the cycle's phase.
    expect(counts.green).toBeGreaterThanOrEqual(95);
    expect(counts.green).toBeLessThanOrEqual(105);
    expect(counts.blue! + counts.green!).toBe(1000);
    await router.apply({ slots: { blue: { weight: 100 }, green: { weight: 0 } } });
  });

  it('keeps weights and addresses across an HAProxy restart', async () => {
    await router.apply({ slots: { blue: { weight: 30 }, green: { address: backends.spare!.address, weight: 70 } } });
    await haproxy.restart();
    const view = await router.inspect();
    expect(weights(view)).toEqual({ blue: [backends.blue!.address, 30], green: [backends.spare!.address, 70] });
    const counts = await countResponses(haproxy.url, 100);
    expect(counts).toEqual({ blue: 30, spare: 70 });
    await router.apply({ slots: { blue: { weight: 100 }, green: { address: backends.green!.address, weight: 0 } } });
  });

  it('reports a refused command in HAProxy words, undoes what ran and leaves traffic on the old slot', async () => {
    const attempt = router.apply({
      slots: { blue: { weight: 0 }, green: { address: backends.spare!.address, weight: 50 }, purple: { address: backends.spare!.address, weight: 50 } },
    });
    await expect(attempt).rejects.toThrow(
      `HAProxy backend app via ${haproxy.endpoint}: HAProxy refused "set server app/purple addr 127.0.0.1 port ${backends.spare!.address.split(':')[1]}": ` +
        `No such server (backend app declares: blue, green); the 1 change(s) made before it were undone. ` +
        `Traffic now: blue 100% (${backends.blue!.address}), green 0% (${backends.green!.address}`,
    );
    expect(await countResponses(haproxy.url, 50)).toEqual({ blue: 50 });
  });

  it('lowers nothing while the incoming slot fails HAProxy health checks', async () => {
    const slow = createRouter('haproxy', haproxy.endpoint, 'app', { servingTimeoutMs: 1_000 });
    const attempt = slow.apply({ slots: { blue: { weight: 0 }, green: { address: '127.0.0.1:1', weight: 100 } } });
    await expect(attempt).rejects.toThrow(
      /the slots to carry traffic were not serving in HAProxy's health checks after 1000 ms \(green: DOWN.*\), so no slot was lowered; the 2 change\(s\) made before it were undone\. Traffic now: blue 100%/,
    );
    expect(await countResponses(haproxy.url, 50)).toEqual({ blue: 50 });
  });

  it('drops no request during 20 switches under keep-alive load, and lets requests in flight finish', async () => {
    await healthy(['blue', 'green']);
    const load = startKeepAliveLoad(haproxy.url, { concurrency: 4 });
    const durations: number[] = [];
    const inFlight: Promise<{ body: string }>[] = [];
    for (let switchIndex = 0; switchIndex < 20; switchIndex++) {
      const [from, to] = switchIndex % 2 === 0 ? ['blue', 'green'] : ['green', 'blue'];
      inFlight.push(get(`${haproxy.url}/slow?ms=600`).then((answer) => ({ ...answer, from })));
      await new Promise((resolve) => setTimeout(resolve, 50));
      const started = performance.now();
      await router.apply({ slots: { [from]: { weight: 0 }, [to]: { weight: 100 } } });
      durations.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const result = await load.stop();
    const slow = (await Promise.all(inFlight)) as { body: string; from: string }[];
    durations.sort((a, b) => a - b);
    console.log(
      `haproxy: ${result.sent} requests over 20 switches, ${result.failures.length} failed, resent ${JSON.stringify(result.resent)}, by backend ${JSON.stringify(result.byBackend)}; ` +
        `apply() p50 ${durations[10]!.toFixed(1)} ms, max ${durations[19]!.toFixed(1)} ms`,
    );
    expect(result.failures).toEqual([]);
    expect(result.resent).toEqual({ reused: 0, fresh: 0 }); // no reload: HAProxy never closes a client's connection
    expect(slow.map((answer) => answer.body)).toEqual(slow.map((answer) => answer.from));
  });

  it('refuses a backend whose balancing ignores runtime weights', async () => {
    const other = await startHaproxy({ servers: [{ name: 'blue', address: backends.blue!.address, weight: 100 }], balance: 'balance static-rr' });
    try {
      await expect(createRouter('haproxy', other.endpoint, 'app').apply({ slots: { blue: { weight: 100 } } })).rejects.toThrow(
        `HAProxy backend app via ${other.endpoint}: the backend balances with "static-rr", which does not follow runtime weights; use balance roundrobin`,
      );
    } finally {
      await other.stop();
    }
  });

  it('names a backend HAProxy does not have', async () => {
    await expect(createRouter('haproxy', haproxy.endpoint, 'myapp-production').inspect()).rejects.toThrow(
      `HAProxy at ${haproxy.endpoint} has no backend "myapp-production"; declare it in haproxy.cfg with one server per slot, or name the backend that routes this service`,
    );
  });

  it('works over a TCP admin socket too', async () => {
    const other = await startHaproxy({ servers: [{ name: 'blue', address: backends.blue!.address, weight: 100 }], admin: 'tcp' });
    try {
      expect(other.endpoint).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+\?state-file=/);
      const view = await createRouter('haproxy', other.endpoint, 'app').inspect();
      expect(weights(view)).toEqual({ blue: [backends.blue!.address, 100] });
    } finally {
      await other.stop();
    }
  });
});
