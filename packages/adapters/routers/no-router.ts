import { ConfigurationError } from '../../core/errors.ts';
import type { RoutePlan, RouteView, Router } from '../../core/routing/router.ts';

/**
 * `router: none`: the release answers on its own port and nothing routes to it. Only the direct
 * strategy runs without a router (it stops the old release before starting the new one); any step
 * that would move traffic is refused, naming the input.
 */
export class NoRouter implements Router {
  readonly #service: string;

  constructor(service: string) {
    this.#service = service;
  }

  describe(): string {
    return `no router (router: none): ${this.#service} answers on its release's own port`;
  }

  async inspect(): Promise<RouteView> {
    return { service: this.#service, slots: {} };
  }

  async apply(_plan: RoutePlan): Promise<RouteView> {
    throw new ConfigurationError('input router is none: moving traffic needs a router; use haproxy or nginx, or the direct strategy');
  }
}
