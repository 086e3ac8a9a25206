import { invalidValue } from '../../core/errors.ts';
import { parseEnum } from '../../core/inputs/scalars.ts';
import { ROUTE_NAME } from '../../core/routing/route-plan.ts';
import type { Router } from '../../core/routing/router.ts';
import { parseHaproxyEndpoint } from './haproxy-endpoint.ts';
import { HaproxyRouter } from './haproxy-router.ts';
import { parseNginxEndpoint } from './nginx-endpoint.ts';
import { NginxRouter } from './nginx-router.ts';
import type { RouterOptions } from './router-options.ts';

export const ROUTER_KINDS = ['haproxy', 'nginx'] as const;
export type RouterKind = (typeof ROUTER_KINDS)[number];

/**
 * The one place that knows every router: `router` and `router-endpoint` inputs in, a Router out.
 * `service` is the HAProxy backend or the nginx upstream (by default app-environment).
 */
export function createRouter(kind: string, endpoint: string, service: string, options: RouterOptions = {}): Router {
  const router = parseEnum('router', kind, ROUTER_KINDS);
  if (!ROUTE_NAME.test(service)) {
    throw invalidValue('router service', service, "use letters, digits, '.', '_' and '-' (up to 63, starting with a letter or digit)");
  }
  switch (router) {
    case 'haproxy':
      return new HaproxyRouter(parseHaproxyEndpoint(endpoint), service, options);
    case 'nginx':
      return new NginxRouter(parseNginxEndpoint(endpoint, service), service, options);
  }
}
