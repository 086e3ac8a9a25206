import { ActionFailure, errorMessage } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { describeTraffic } from '../routing/route-view.ts';
import type { RoutePlan, RouteView, Router, SlotView } from '../routing/router.ts';
import { hostNames, onEveryHost, onHost, type FleetHost } from './fleet-host.ts';

type RouterHost = Pick<FleetHost, 'name' | 'router'>;

/**
 * Every host's router seen as one. A plan is applied host by host, in order; when a host refuses,
 * the hosts already switched are put back as they were, so the fleet does not stay split, and the
 * rejection names the host and says where traffic is on each.
 */
export class FleetRouter implements Router {
  readonly #hosts: readonly RouterHost[];
  readonly #logger: Logger;

  constructor(hosts: readonly RouterHost[], logger: Logger) {
    this.#hosts = hosts;
    this.#logger = logger;
  }

  describe(): string {
    return `the routers on ${hostNames(this.#hosts)}`;
  }

  /**
   * Every host's view. When they agree, that view. When they differ (a run killed mid-switch), the
   * split is logged and each slot's weight is its mean over the hosts: the fleet's share when the
   * load balancer spreads requests evenly. A split then reads as a half-finished switch, which the
   * strategies complete (blue-green) or abort (canary) with one plan applied to every host.
   */
  async inspect(): Promise<RouteView> {
    const views = await onEveryHost(this.#hosts, (host) => host.router.inspect());
    if (views.every((view) => sameTraffic(view, views[0]!))) return views[0]!;
    this.#logger.warning(`the hosts route differently (a run stopped mid-switch?): ${this.#traffic(views)}`);
    return meanView(views);
  }

  async apply(plan: RoutePlan): Promise<RouteView> {
    const switched: { host: RouterHost; before: RouteView }[] = [];
    const after: RouteView[] = [];
    for (const host of this.#hosts) {
      let before: RouteView;
      try {
        before = await host.router.inspect();
        after.push(await host.router.apply(plan));
      } catch (error) {
        const refusal = onHost(host, `${host.router.describe()} refused: ${errorMessage(error)}`);
        const { back, stuck } = await this.#putBack(switched);
        const said = [back.length > 0 ? `${hostNames(back)} put back` : '', stuck.length > 0 ? `${hostNames(stuck)} could not be put back` : ''];
        throw new ActionFailure([refusal, ...said.filter((s) => s !== ''), `traffic now: ${await this.#trafficNow()}`].join('; '));
      }
      switched.push({ host, before });
    }
    return after.every((view) => sameTraffic(view, after[0]!)) ? after[0]! : meanView(after);
  }

  /** Last switched first; best effort: what cannot be put back is logged, the refusal matters more. */
  async #putBack(switched: readonly { host: RouterHost; before: RouteView }[]): Promise<{ back: RouterHost[]; stuck: RouterHost[] }> {
    const back: RouterHost[] = [];
    const stuck: RouterHost[] = [];
    for (const { host, before } of [...switched].reverse()) {
      const plan = planOf(before);
      if (!plan) {
        this.#logger.error(onHost(host, `cannot be put back: before the switch it routed ${describeTraffic(before)}, which no plan can say`));
        stuck.unshift(host);
        continue;
      }
      try {
        await host.router.apply(plan);
        back.unshift(host);
      } catch (error) {
        this.#logger.error(onHost(host, `could not be put back to ${describeTraffic(before)}: ${errorMessage(error)}`));
        stuck.unshift(host);
      }
    }
    return { back, stuck };
  }

  async #trafficNow(): Promise<string> {
    const views = await Promise.all(this.#hosts.map((host) => host.router.inspect().catch((error: unknown) => errorMessage(error))));
    return this.#traffic(views);
  }

  #traffic(views: readonly (RouteView | string)[]): string {
    return this.#hosts
      .map((host, i) => onHost(host, typeof views[i] === 'string' ? `unknown (${views[i]})` : describeTraffic(views[i] as RouteView)))
      .join('; ');
  }
}

function sameTraffic(a: RouteView, b: RouteView): boolean {
  const names = new Set([...Object.keys(a.slots), ...Object.keys(b.slots)]);
  return [...names].every((name) => a.slots[name]?.weight === b.slots[name]?.weight && a.slots[name]?.address === b.slots[name]?.address);
}

/** Each slot's mean weight over the hosts, its address from the first host that sends it traffic. */
function meanView(views: readonly RouteView[]): RouteView {
  const names = [...new Set(views.flatMap((view) => Object.keys(view.slots)))];
  const slots: Record<string, SlotView> = {};
  for (const name of names) {
    const each = views.map((view) => view.slots[name]).filter((slot) => slot !== undefined);
    const weight = Math.round(each.reduce((sum, slot) => sum + slot.weight, 0) / views.length);
    const shown = each.find((slot) => slot.weight > 0) ?? each[0]!;
    const down = each.find((slot) => slot.health === 'down');
    slots[name] = { ...shown, weight, ...(down ? { health: 'down', detail: down.detail } : {}) };
  }
  return { service: views[0]!.service, slots };
}

/** The plan that makes a host route as `view` did, or undefined when no plan can (no traffic, or addresses unknown). */
function planOf(view: RouteView): RoutePlan | undefined {
  const named = Object.entries(view.slots).filter(([, slot]) => slot.address !== '');
  if (named.reduce((sum, [, slot]) => sum + slot.weight, 0) !== 100) return undefined;
  return { slots: Object.fromEntries(named.map(([name, slot]) => [name, { address: slot.address, weight: slot.weight }])) };
}
