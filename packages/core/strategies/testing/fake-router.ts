import { ActionFailure } from '../../errors.ts';
import type { RunningRelease } from '../../deploy/target.ts';
import type { RoutePlan, RouteView, Router, SlotView } from '../../routing/router.ts';
import { releaseAddress } from '../release-health.ts';

const idleSlot = (): SlotView => ({ address: '', weight: 0, admin: 'ready', health: 'unchecked', detail: '' });

/**
 * A FAKE router holding a blue and a green slot. apply() makes the plan true at once (slots the plan
 * does not name go to 0) unless told to refuse, in which case nothing changes, as the contract says.
 */
export class FakeRouter implements Router {
  readonly slots: Record<string, SlotView> = { blue: idleSlot(), green: idleSlot() };
  readonly applied: RoutePlan[] = [];
  /** Where traffic went at each change: the slots taking any, with their weights. */
  readonly traffic: Record<string, number>[] = [];
  #journal: string[];
  #refusals: string[] = [];

  constructor(journal: string[]) {
    this.#journal = journal;
  }

  describe(): string {
    return 'fake HAProxy backend shop-production';
  }

  /** The next `times` apply() calls fail with this message and change nothing. */
  refuse(message: string, times = 1): void {
    for (let i = 0; i < times; i++) this.#refusals.push(message);
  }

  /** Sets a slot directly, as a run killed mid-switch would leave it. */
  set(slot: string, address: string, weight: number): void {
    this.slots[slot] = { ...idleSlot(), address, weight };
  }

  weights(): Record<string, number> {
    return Object.fromEntries(Object.entries(this.slots).map(([name, slot]) => [name, slot.weight]));
  }

  /** Whether its colour's slot sends the release traffic, at the release's own address. */
  routes(release: RunningRelease): boolean {
    const slot = this.slots[release.labels.colour];
    return slot !== undefined && slot.weight > 0 && slot.address === releaseAddress(release);
  }

  addresses(): Record<string, string> {
    return Object.fromEntries(Object.entries(this.slots).map(([name, slot]) => [name, slot.address]));
  }

  async inspect(): Promise<RouteView> {
    this.#journal.push('router inspect');
    return this.#view();
  }

  async apply(plan: RoutePlan): Promise<RouteView> {
    const refusal = this.#refusals.shift();
    const wanted = Object.entries(plan.slots).map(([name, slot]) => `${name}=${slot.weight}${slot.address ? `@${slot.address}` : ''}`);
    this.#journal.push(`router apply ${wanted.join(' ')}${refusal === undefined ? '' : ' (refused)'}`);
    if (refusal !== undefined) throw new ActionFailure(refusal);
    this.applied.push(plan);
    const before = this.#taking();
    for (const name of new Set([...Object.keys(this.slots), ...Object.keys(plan.slots)])) {
      const current = this.slots[name] ?? idleSlot();
      const target = plan.slots[name];
      this.slots[name] = { ...current, address: target?.address ?? current.address, weight: target?.weight ?? 0 };
    }
    const after = this.#taking();
    if (JSON.stringify(after) !== JSON.stringify(before)) this.traffic.push(after);
    return this.#view();
  }

  #taking(): Record<string, number> {
    const taking = Object.entries(this.slots)
      .filter(([, slot]) => slot.weight > 0)
      .map(([name, slot]): [string, number] => [name, slot.weight]);
    return Object.fromEntries(taking.sort(([a], [b]) => a.localeCompare(b)));
  }

  #view(): RouteView {
    return { service: 'shop-production', slots: structuredClone(this.slots) };
  }
}
