import { ActionFailure, ConfigurationError, errorMessage } from '../../core/errors.ts';
import { silentLogger, type Logger } from '../../core/logger.ts';
import { parseAddress, validatePlan } from '../../core/routing/route-plan.ts';
import { describeTraffic, servingWeight } from '../../core/routing/route-view.ts';
import type { RoutePlan, RouteView, Router } from '../../core/routing/router.ts';
import { planSwitch, type SwitchStep } from '../../core/routing/switch-steps.ts';
import { parseServersState, parseStat, refusal, toSlotView, type ServerState } from './haproxy-answers.ts';
import type { HaproxyEndpoint } from './haproxy-endpoint.ts';
import { sendCommand } from './haproxy-socket.ts';
import { DEFAULT_SERVING_TIMEOUT_MS, type RouterOptions } from './router-options.ts';
import { localSystem, type HostSystem } from '../host/host-system.ts';

/**
 * Routes a service through an HAProxy backend with the runtime API: no reload, so no connection is
 * ever dropped by the router itself. The backend declares one server per slot; haproxy.cfg:
 *
 *   global
 *     stats socket /run/haproxy/admin.sock mode 660 level admin
 *     server-state-file /var/lib/haproxy/server-state
 *   defaults
 *     load-server-state-from-file global
 *   backend myapp-production
 *     balance roundrobin
 *     default-server check inter 2s downinter 250ms rise 2 fall 2 init-addr last,libc,none
 *     server blue  localhost:1 weight 0
 *     server green localhost:1 weight 0
 *     server baseline localhost:1 weight 0   # only for deploy-canary with `baseline: true`
 *
 * Slots are declared by name (`localhost:1` is a placeholder) because HAProxy restores a runtime
 * address from the state file only for servers declared by name with `init-addr last`; keep the
 * configured weight as it is, or HAProxy prefers it over the saved one. Endpoint:
 * `unix:///run/haproxy/admin.sock?state-file=/var/lib/haproxy/server-state`.
 */
export class HaproxyRouter implements Router {
  readonly #endpoint: HaproxyEndpoint;
  readonly #backend: string;
  readonly #logger: Logger;
  readonly #servingTimeoutMs: number;
  readonly #system: HostSystem;

  constructor(endpoint: HaproxyEndpoint, backend: string, options: RouterOptions = {}) {
    this.#endpoint = endpoint;
    this.#backend = backend;
    this.#logger = options.logger ?? silentLogger;
    this.#servingTimeoutMs = options.servingTimeoutMs ?? DEFAULT_SERVING_TIMEOUT_MS;
    this.#system = options.system ?? localSystem;
  }

  describe(): string {
    return `HAProxy backend ${this.#backend} via ${this.#endpoint.text}`;
  }

  async inspect(): Promise<RouteView> {
    return (await this.#read()).view;
  }

  async apply(plan: RoutePlan): Promise<RouteView> {
    validatePlan(plan);
    const before = await this.#read();
    // Only dynamic algorithms honour runtime weights; with static-rr or hashing a weight is not a percent.
    if (!['roundrobin', 'leastconn', 'random'].includes(before.algorithm)) {
      throw new ConfigurationError(
        `${this.describe()}: the backend balances with "${before.algorithm}", which does not follow runtime weights; use balance roundrobin`,
      );
    }
    const steps = planSwitch(before.view, plan);
    this.#warnIfAddressWillNotPersist(steps, before.servers);
    const done: SwitchStep[] = [];
    try {
      for (const step of steps) {
        await this.#perform(step, before);
        done.push(step);
      }
    } catch (error) {
      throw await this.#failed(error, done);
    }
    if (done.length > 0) {
      await this.#persist().catch((error: unknown) => {
        throw new ActionFailure(
          `${this.describe()}: traffic moved as planned, but saving HAProxy's state failed (${errorMessage(error)}); ` +
            'a restart of HAProxy would bring back the previous weights',
        );
      });
    }
    return this.inspect();
  }

  async #read(): Promise<{ view: RouteView; algorithm: string; servers: ServerState[] }> {
    const [stateAnswer, statAnswer] = await Promise.all([
      sendCommand(this.#endpoint, `show servers state ${this.#backend}`),
      sendCommand(this.#endpoint, `show stat ${this.#backend} 6 -1`),
    ]);
    if (stateAnswer.trim() === "Can't find backend.") {
      throw new ConfigurationError(
        `HAProxy at ${this.#endpoint.text} has no backend "${this.#backend}"; declare it in haproxy.cfg with one server per slot, or name the backend that routes this service`,
      );
    }
    const servers = parseServersState(stateAnswer).filter((server) => server.backend === this.#backend);
    const stats = parseStat(statAnswer);
    const slots = Object.fromEntries(
      servers.map((server) => [
        server.name,
        toSlotView(
          server,
          stats.find((row) => row.svname === server.name),
        ),
      ]),
    );
    const algorithm = stats.find((row) => row.svname === 'BACKEND')?.algo ?? '';
    return { view: { service: this.#backend, slots }, algorithm, servers };
  }

  async #perform(step: SwitchStep, before: { view: RouteView; servers: ServerState[] }): Promise<void> {
    const { servers } = before;
    if (step.kind === 'await-serving') return this.#awaitServing(step.slots);
    if (step.kind === 'address') {
      await this.#setAddress(step.slot, step.address, servers);
      // HAProxy keeps the last check's verdict across an address change, so an idle slot would look
      // UP at an address nobody has checked. Marking it down makes the checks prove the new address
      // before await-serving lets anything be lowered. (A slot taking traffic keeps its verdict:
      // marking it down would cut capacity; its checks catch up within `fall` intervals.)
      const slot = before.view.slots[step.slot];
      if (slot && slot.health !== 'unchecked' && servingWeight(slot) === 0) {
        await this.#command(`set server ${this.#backend}/${step.slot} health down`, servers);
      }
      return;
    }
    await this.#command(`set server ${this.#backend}/${step.slot} weight ${step.weight}`, servers);
    // A raised slot may have been put in drain or maintenance by hand; raising it means it serves.
    if (step.weight > step.previous) await this.#command(`set server ${this.#backend}/${step.slot} state ready`, servers);
  }

  #setAddress(slot: string, address: string, servers: ServerState[]): Promise<void> {
    const { host, port } = parseAddress(`route plan: slot ${slot}`, address);
    return this.#command(`set server ${this.#backend}/${slot} addr ${host} port ${port}`, servers);
  }

  async #command(command: string, servers: ServerState[]): Promise<void> {
    const refused = refusal(command, await sendCommand(this.#endpoint, command));
    if (refused === undefined) return;
    const declared = refused === 'No such server.' ? ` (backend ${this.#backend} declares: ${servers.map((s) => s.name).join(', ') || 'no servers'})` : '';
    throw new Error(`HAProxy refused "${command}": ${refused.replace(/\.$/, '')}${declared}`);
  }

  async #awaitServing(slots: string[]): Promise<void> {
    const deadline = Date.now() + this.#servingTimeoutMs;
    for (;;) {
      const { view } = await this.#read();
      const waiting = slots.filter((slot) => !view.slots[slot] || servingWeight(view.slots[slot]) === 0);
      if (waiting.length === 0) return;
      if (Date.now() >= deadline) {
        const states = waiting.map((slot) => `${slot}: ${view.slots[slot]?.detail ?? 'missing'}`).join(', ');
        throw new Error(
          `the slots to carry traffic were not serving in HAProxy's health checks after ${this.#servingTimeoutMs} ms (${states}), so no slot was lowered`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Replays the steps that ran backwards, each to its previous value, then says where traffic is. */
  async #failed(error: unknown, done: SwitchStep[]): Promise<Error> {
    if (error instanceof ConfigurationError) return error;
    const changes = done.filter((step) => step.kind !== 'await-serving');
    let outcome = 'nothing had changed';
    if (changes.length > 0) {
      try {
        for (const step of [...changes].reverse()) {
          if (step.kind === 'weight') await this.#command(`set server ${this.#backend}/${step.slot} weight ${step.previous}`, []);
          else if (step.kind === 'address' && step.previous) await this.#setAddress(step.slot, step.previous, []);
        }
        outcome = `the ${changes.length} change(s) made before it were undone`;
      } catch (undoError) {
        outcome = `undoing the ${changes.length} change(s) made before it failed too: ${errorMessage(undoError)}`;
      }
      await this.#persist().catch((persistError: unknown) => {
        outcome += `; saving HAProxy's state failed: ${errorMessage(persistError)}`;
      });
    }
    const traffic = await this.inspect().then(describeTraffic, (readError: unknown) => `unknown (${errorMessage(readError)})`);
    return new ActionFailure(`${this.describe()}: ${errorMessage(error)}; ${outcome}. Traffic now: ${traffic}`);
  }

  async #persist(): Promise<void> {
    const file = this.#endpoint.stateFile;
    if (file === undefined) return;
    const answer = await sendCommand(this.#endpoint, 'show servers state');
    parseServersState(answer); // never save an error message where HAProxy expects its state
    await this.#system.writeFileAtomic(file, answer);
  }

  #warnIfAddressWillNotPersist(steps: SwitchStep[], servers: ServerState[]): void {
    if (this.#endpoint.stateFile === undefined) return;
    for (const step of steps) {
      if (step.kind !== 'address') continue;
      const server = servers.find((candidate) => candidate.name === step.slot);
      if (server && !server.declaredByName) {
        this.#logger.warning(
          `HAProxy server ${this.#backend}/${step.slot} is declared with an IP address, so after a restart HAProxy keeps that address, not ${step.address}; declare it by name with init-addr last (e.g. server ${step.slot} localhost:1 init-addr last,libc,none)`,
        );
      }
    }
  }
}
