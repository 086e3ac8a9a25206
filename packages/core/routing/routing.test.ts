import { describe, expect, it } from 'vitest';
import { parseAddress, validatePlan } from './route-plan.ts';
import { describeTraffic, trafficShares } from './route-view.ts';
import type { RouteView, SlotView } from './router.ts';
import { planSwitch } from './switch-steps.ts';

function slot(address: string, weight: number, extra: Partial<SlotView> = {}): SlotView {
  return { address, weight, admin: 'ready', health: 'up', detail: 'UP', ...extra };
}

const blueLive: RouteView = {
  service: 'app',
  slots: { blue: slot('127.0.0.1:8081', 100), green: slot('127.0.0.1:8082', 0) },
};

describe('parseAddress', () => {
  it.each([
    ['127.0.0.1:8081', { host: '127.0.0.1', port: 8081 }],
    ['app-blue.internal:80', { host: 'app-blue.internal', port: 80 }],
    ['[::1]:65535', { host: '::1', port: 65535 }],
  ])('reads %s', (raw, parsed) => expect(parseAddress('slot blue', raw)).toEqual(parsed));

  it.each(['127.0.0.1', '127.0.0.1:0', '127.0.0.1:99999', '::1:80', 'a b:80', 'host:80;rm', ''])('rejects %j', (raw) => {
    expect(() => parseAddress('slot blue', raw)).toThrow(
      `slot blue: address ${JSON.stringify(raw)} is not valid; use host:port with a port from 1 to 65535, e.g. 127.0.0.1:8081 or [::1]:8081`,
    );
  });
});

describe('validatePlan', () => {
  it('accepts blue-green and canary plans', () => {
    expect(() => validatePlan({ slots: { blue: { address: '127.0.0.1:8081', weight: 100 }, green: { weight: 0 } } })).not.toThrow();
    expect(() => validatePlan({ slots: { blue: { weight: 90 }, green: { weight: 10 } } })).not.toThrow();
  });

  it.each([
    [{ slots: {} }, 'route plan: no slots given; name at least one slot'],
    [{ slots: { blue: { weight: 50.5 }, green: { weight: 49.5 } } }, 'route plan: slot blue: weight 50.5 is not valid; use a whole percent from 0 to 100'],
    [{ slots: { blue: { weight: 101 } } }, 'route plan: slot blue: weight 101 is not valid; use a whole percent from 0 to 100'],
    [
      { slots: { blue: { weight: 0 }, green: { weight: 0 } } },
      'route plan: weights add up to 0 (blue 0, green 0); they are percents of new requests and must add up to 100',
    ],
    [
      { slots: { blue: { weight: 90 }, green: { weight: 20 } } },
      'route plan: weights add up to 110 (blue 90, green 20); they are percents of new requests and must add up to 100',
    ],
    [
      { slots: { 'blue green': { weight: 100 } } },
      `route plan: slot name "blue green" is not valid; use letters, digits, '.', '_' and '-' (up to 63, starting with a letter or digit)`,
    ],
    [{ slots: { blue: { address: 'localhost', weight: 100 } } }, 'route plan: slot blue: address "localhost" is not valid'],
  ])('rejects %j', (plan, message) => expect(() => validatePlan(plan)).toThrow(message));
});

describe('planSwitch', () => {
  it('switches blue to green: new address, raise green, wait for it, then drain blue', () => {
    const steps = planSwitch(blueLive, { slots: { blue: { weight: 0 }, green: { address: '127.0.0.1:9000', weight: 100 } } });
    expect(steps).toEqual([
      { kind: 'address', slot: 'green', address: '127.0.0.1:9000', previous: '127.0.0.1:8082' },
      { kind: 'weight', slot: 'green', weight: 100, previous: 0 },
      { kind: 'await-serving', slots: ['green'] },
      { kind: 'weight', slot: 'blue', weight: 0, previous: 100 },
    ]);
  });

  it('moves canary weights by raising before lowering', () => {
    const current: RouteView = { service: 'app', slots: { blue: slot('a:1', 90), green: slot('b:2', 10) } };
    expect(planSwitch(current, { slots: { blue: { weight: 50 }, green: { weight: 50 } } })).toEqual([
      { kind: 'weight', slot: 'green', weight: 50, previous: 10 },
      { kind: 'await-serving', slots: ['blue', 'green'] },
      { kind: 'weight', slot: 'blue', weight: 50, previous: 90 },
    ]);
  });

  it('sends slots the plan leaves out to 0 and re-enables a slot in maintenance', () => {
    const current: RouteView = {
      service: 'app',
      slots: { blue: slot('a:1', 100), green: slot('b:2', 100, { admin: 'maint' }), old: slot('c:3', 5) },
    };
    expect(planSwitch(current, { slots: { green: { weight: 100 }, blue: { weight: 0 } } })).toEqual([
      { kind: 'weight', slot: 'green', weight: 100, previous: 0 },
      { kind: 'await-serving', slots: ['green'] },
      { kind: 'weight', slot: 'blue', weight: 0, previous: 100 },
      { kind: 'weight', slot: 'old', weight: 0, previous: 5 },
    ]);
  });

  it('moves a live slot in place after the raises', () => {
    const current: RouteView = { service: 'app', slots: { blue: slot('a:1', 50), green: slot('b:2', 50) } };
    expect(planSwitch(current, { slots: { blue: { address: 'a:9', weight: 40 }, green: { weight: 60 } } })).toEqual([
      { kind: 'weight', slot: 'green', weight: 60, previous: 50 },
      { kind: 'address', slot: 'blue', address: 'a:9', previous: 'a:1' },
      { kind: 'await-serving', slots: ['blue', 'green'] },
      { kind: 'weight', slot: 'blue', weight: 40, previous: 50 },
    ]);
  });

  it('does nothing when the router already matches', () => {
    expect(planSwitch(blueLive, { slots: { blue: { weight: 100 }, green: { weight: 0 } } })).toEqual([]);
  });

  it('needs no address for a slot that goes to 0', () => {
    const first: RouteView = { service: 'app', slots: {} };
    expect(planSwitch(first, { slots: { blue: { address: 'a:1', weight: 100 }, green: { weight: 0 } } })).toEqual([
      { kind: 'address', slot: 'blue', address: 'a:1', previous: undefined },
      { kind: 'weight', slot: 'blue', weight: 100, previous: 0 },
      { kind: 'await-serving', slots: ['blue'] },
    ]);
  });

  it('needs an address for a slot to carry traffic that the router does not know or has none for', () => {
    expect(() => planSwitch(blueLive, { slots: { purple: { weight: 100 } } })).toThrow(
      'route plan: slot purple has no address in app yet; give one (host:port)',
    );
    const unset: RouteView = { service: 'app', slots: { ...blueLive.slots, green: slot('', 0) } };
    expect(() => planSwitch(unset, { slots: { green: { weight: 100 } } })).toThrow('route plan: slot green has no address in app yet; give one (host:port)');
  });
});

describe('traffic view', () => {
  it('counts only slots that can take traffic', () => {
    const view: RouteView = {
      service: 'app',
      slots: {
        blue: slot('127.0.0.1:8081', 90),
        green: slot('127.0.0.1:8082', 10, { health: 'down', detail: 'DOWN (Layer4 connection problem)' }),
      },
    };
    expect(trafficShares(view)).toEqual({ blue: 100, green: 0 });
    expect(describeTraffic(view)).toBe('blue 100% (127.0.0.1:8081), green 0% (127.0.0.1:8082, DOWN (Layer4 connection problem))');
  });

  it('says when nothing takes traffic', () => {
    const view: RouteView = { service: 'app', slots: { blue: slot('a:1', 0), green: slot('b:2', 3, { admin: 'maint', detail: 'MAINT' }) } };
    expect(describeTraffic(view)).toBe('blue 0% (a:1), green 0% (b:2, MAINT) — no slot is taking traffic');
  });
});
