import { ConfigurationError } from '../errors.ts';
import type { RoutePlan, RouteView } from './router.ts';

/**
 * One change a router makes in place. `previous` lets an adapter undo a partial switch by replaying
 * the steps it ran backwards: every state on the way was safe, so the way back is safe too.
 */
export type SwitchStep =
  | { kind: 'address'; slot: string; address: string; previous: string | undefined }
  | { kind: 'weight'; slot: string; weight: number; previous: number }
  /** Wait until these slots take traffic in the router's own view before anything is lowered. */
  | { kind: 'await-serving'; slots: string[] };

/**
 * Orders the changes from `current` to `plan` so the service never has zero capacity:
 * 1. new addresses for slots that take no traffic now (the idle colour),
 * 2. raise the weights going up,
 * 3. new addresses for slots that do take traffic (an in-place move, atomic in the router),
 * 4. wait until every slot that will carry traffic is serving in the router's view,
 * 5. lower the weights going down; requests in flight there finish where they are.
 * Slots the plan does not name go to weight 0. Assumes validatePlan(plan) passed.
 */
export function planSwitch(current: RouteView, plan: RoutePlan): SwitchStep[] {
  const names = [...new Set([...Object.keys(current.slots), ...Object.keys(plan.slots)])].sort();
  const idleAddresses: SwitchStep[] = [];
  const raises: SwitchStep[] = [];
  const liveAddresses: SwitchStep[] = [];
  const lowers: SwitchStep[] = [];
  for (const slot of names) {
    const now = current.slots[slot];
    const target = plan.slots[slot];
    const address = target?.address ?? (now?.address || undefined); // '' is a server HAProxy gave no address
    const weight = target?.weight ?? 0;
    // A slot at 0% needs no address: the idle colour before its first release has none.
    if (address === undefined && weight > 0) {
      throw new ConfigurationError(`route plan: slot ${slot} has no address in ${current.service} yet; give one (host:port)`);
    }
    const configured = now?.weight ?? 0;
    const effective = now?.admin === 'ready' ? configured : 0;
    if (address !== undefined && address !== now?.address) {
      (effective === 0 ? idleAddresses : liveAddresses).push({ kind: 'address', slot, address, previous: now?.address });
    }
    if (weight > effective) raises.push({ kind: 'weight', slot, weight, previous: effective });
    else if (weight !== configured) lowers.push({ kind: 'weight', slot, weight, previous: configured });
  }
  const changes = [...idleAddresses, ...raises, ...liveAddresses];
  if (changes.length + lowers.length === 0) return [];
  const carrying = names.filter((slot) => (plan.slots[slot]?.weight ?? 0) > 0);
  return [...changes, { kind: 'await-serving', slots: carrying }, ...lowers];
}
