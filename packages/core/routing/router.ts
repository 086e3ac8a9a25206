/**
 * The Router: whatever sends a service's requests to its slots (HAProxy backend, nginx upstream, ...).
 *
 * A routed service holds named slots (`blue`, `green`; canary uses the same slots with other weights).
 * Each slot has an address and an integer weight from 0 to 100: the percent of new requests it gets.
 * Strategies speak only this interface; adapters in packages/adapters/routers implement it.
 */

/** What apply() makes true. Slots the plan does not name get weight 0 (drained, address kept). */
export interface RoutePlan {
  slots: Record<string, SlotTarget>;
}

export interface SlotTarget {
  /** `host:port` (IPv6 as `[::1]:8080`); omitted keeps the address the router already has. */
  address?: string;
  /** Percent of new requests, an integer from 0 to 100; a plan's weights add up to 100. */
  weight: number;
}

/** Whether the router's operator lets the slot take traffic at all. */
export type SlotAdmin = 'ready' | 'drain' | 'maint';

/** The router's own health view: `unchecked` when it does no checks on the slot (e.g. nginx). */
export type SlotHealth = 'up' | 'down' | 'unchecked';

export interface SlotView {
  address: string;
  weight: number;
  admin: SlotAdmin;
  health: SlotHealth;
  /** The router's words for the state, for people, e.g. `DOWN (Layer4 connection problem)`. */
  detail: string;
}

export interface RouteView {
  service: string;
  slots: Record<string, SlotView>;
}

export interface Router {
  /** e.g. `HAProxy backend myapp-production via unix:///run/haproxy/admin.sock`, for messages. */
  describe(): string;
  inspect(): Promise<RouteView>;
  /**
   * Moves the service to the plan without a moment of zero capacity, letting requests in flight on a
   * slot that goes to 0 finish there. Resolves with the view after the change; rejects, with the
   * traffic it left in place named in the message, when the router refuses a step.
   */
  apply(plan: RoutePlan): Promise<RouteView>;
}
