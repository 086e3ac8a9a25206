import type { RouteView, SlotView } from './router.ts';

/** The weight the slot really gets new requests by: none while drained, in maintenance or down. */
export function servingWeight(slot: SlotView): number {
  return slot.admin === 'ready' && slot.health !== 'down' ? slot.weight : 0;
}

/** Percent of new requests each slot gets right now, rounded to one decimal. */
export function trafficShares(view: RouteView): Record<string, number> {
  const names = Object.keys(view.slots).sort();
  const total = names.reduce((sum, name) => sum + servingWeight(view.slots[name]!), 0);
  return Object.fromEntries(names.map((name) => [name, total === 0 ? 0 : Math.round((servingWeight(view.slots[name]!) / total) * 1000) / 10]));
}

/** One line for messages: `blue 100% (127.0.0.1:8081), green 0% (127.0.0.1:8082, DOWN)`. */
export function describeTraffic(view: RouteView): string {
  const shares = trafficShares(view);
  const names = Object.keys(shares);
  if (names.length === 0) return 'no slots';
  const parts = names.map((name) => {
    const slot = view.slots[name]!;
    const plain = slot.admin === 'ready' && slot.health !== 'down';
    const notes = plain || slot.detail === '' ? '' : `, ${slot.detail}`;
    return `${name} ${shares[name]}% (${slot.address}${notes})`;
  });
  const none = names.every((name) => shares[name] === 0) ? ' — no slot is taking traffic' : '';
  return parts.join(', ') + none;
}
