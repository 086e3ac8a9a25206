import { ActionFailure, errorMessage } from '../../core/errors.ts';
import { validatePlan } from '../../core/routing/route-plan.ts';
import { describeTraffic } from '../../core/routing/route-view.ts';
import type { RoutePlan, RouteView, Router } from '../../core/routing/router.ts';
import { planSwitch } from '../../core/routing/switch-steps.ts';
import type { NginxEndpoint } from './nginx-endpoint.ts';
import { parseUpstreamFile, renderUpstreamFile, type UpstreamSlot } from './nginx-upstream-file.ts';
import { NginxControl } from './nginx-control.ts';
import { localSystem, type HostSystem } from '../host/host-system.ts';
import type { RouterOptions } from './router-options.ts';

/**
 * Routes a service through an nginx upstream whose server lines live in a file this adapter owns.
 * A change is one atomic file write, `nginx -T` (the config test, which also shows the pid file),
 * then a graceful reload: old workers finish the requests they hold, new workers take new ones, so
 * there is no moment without capacity. A config nginx rejects is never left in place.
 *
 * One limit of nginx itself (measured on 1.22): a reload closes the client connections old workers
 * hold, so a request sent on one at that instant gets no answer; about 2 per reload under keep-alive
 * load, and about 1 per 100 reloads on a just-opened connection. A client that resends an unanswered
 * GET (RFC 9112 §9.3.1; browsers, curl and Go do for reused connections, Node's http.Agent does not)
 * loses nothing. nginx 1.27.4+ narrows it with `keepalive_min_timeout`; HAProxy has no reload.
 *
 * nginx.conf:
 *
 *   http {
 *     upstream myapp-production {
 *       zone myapp-production 64k;   # one weighted round-robin shared by all workers
 *       include /etc/nginx/sidhe/myapp-production.conf;
 *       keepalive 16;
 *     }
 *     server {
 *       listen 80;
 *       location / {
 *         proxy_pass http://myapp-production;
 *         proxy_http_version 1.1;
 *         proxy_set_header Connection "";
 *       }
 *     }
 *   }
 *
 * Endpoint: `file:///etc/nginx/sidhe/myapp-production.conf?conf=/etc/nginx/nginx.conf`. nginx will not
 * start while the included file is missing, so the first deploy runs before nginx includes it, or
 * the file is seeded with the line SIDHE would write: `server 127.0.0.1:8081 weight=100; # slot blue`.
 */
export class NginxRouter implements Router {
  readonly #endpoint: NginxEndpoint;
  readonly #service: string;
  readonly #control: NginxControl;
  readonly #system: HostSystem;

  constructor(endpoint: NginxEndpoint, service: string, options: Pick<RouterOptions, 'system'> = {}) {
    this.#endpoint = endpoint;
    this.#service = service;
    this.#system = options.system ?? localSystem;
    this.#control = new NginxControl(endpoint, this.#system);
  }

  describe(): string {
    const where = this.#system === localSystem ? '' : ` on ${this.#system.name}`;
    return `nginx upstream file ${this.#endpoint.upstreamFile}${where} for ${this.#service}`;
  }

  async inspect(): Promise<RouteView> {
    return this.#view(await this.#readFile());
  }

  async apply(plan: RoutePlan): Promise<RouteView> {
    validatePlan(plan);
    const previous = await this.#readFile();
    const before = this.#view(previous);
    // The whole plan lands in one reload, so the step order only matters for what it checks:
    // every slot has an address and something changes at all.
    if (planSwitch(before, plan).length === 0) return before;
    const names = new Set([...Object.keys(before.slots), ...Object.keys(plan.slots)]);
    // A 0% slot nginx has never had an address for stays out of the file (planSwitch allows only those).
    const slots: UpstreamSlot[] = [...names].flatMap((name) => {
      const address = plan.slots[name]?.address ?? before.slots[name]?.address;
      return address === undefined ? [] : [{ name, address, weight: plan.slots[name]?.weight ?? 0 }];
    });
    const file = this.#endpoint.upstreamFile;
    await this.#system.writeFileAtomic(file, renderUpstreamFile(this.#service, slots));
    try {
      const dump = await this.#control.test('the nginx config test (nginx -T) rejected the new upstream file');
      await this.#control.reload(dump);
    } catch (error) {
      const restore = previous === undefined ? this.#system.removeFile(file) : this.#system.writeFileAtomic(file, previous);
      const restored = await restore.then(
        () => 'the previous file was put back',
        (restoreError: unknown) => `putting the previous file back failed too (${errorMessage(restoreError)})`,
      );
      throw new ActionFailure(`${this.describe()}: ${errorMessage(error)}; ${restored}, nginx still routes: ${describeTraffic(before)}`);
    }
    return this.inspect();
  }

  async #readFile(): Promise<string | undefined> {
    try {
      return await this.#system.readFile(this.#endpoint.upstreamFile);
    } catch (error) {
      throw new ActionFailure(`${this.describe()}: could not read it: ${errorMessage(error)}`);
    }
  }

  #view(text: string | undefined): RouteView {
    let slots: UpstreamSlot[];
    try {
      slots = text === undefined ? [] : parseUpstreamFile(text, this.#endpoint.upstreamFile);
    } catch (error) {
      throw new ActionFailure(`${this.describe()}: ${errorMessage(error)}`);
    }
    return {
      service: this.#service,
      slots: Object.fromEntries(
        slots.map(({ name, address, weight }) => [
          name,
          // nginx (open source) exposes no health view, so the file is the whole truth.
          { address, weight, admin: weight > 0 ? 'ready' : 'drain', health: 'unchecked', detail: weight > 0 ? `weight=${weight}` : 'down' },
        ]),
      ),
    };
  }
}
