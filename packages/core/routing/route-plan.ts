import { ConfigurationError } from '../errors.ts';
import type { RoutePlan } from './router.ts';

/** Slot and service names go into router commands and config files verbatim, so keep them plain. */
export const ROUTE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;

export interface SlotAddress {
  host: string;
  port: number;
}

/** Parses `host:port` or `[v6]:port`; `what` names the slot or input for the message. */
export function parseAddress(what: string, raw: string): SlotAddress {
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/.exec(raw);
  const port = match ? Number(match[3]) : NaN;
  if (!match || port < 1 || port > 65535) {
    throw new ConfigurationError(
      `${what}: address ${JSON.stringify(raw)} is not valid; use host:port with a port from 1 to 65535, e.g. 127.0.0.1:8081 or [::1]:8081`,
    );
  }
  return { host: match[1] ?? match[2]!, port };
}

/** Checks what every router needs from a plan; the router then only adds what it alone knows. */
export function validatePlan(plan: RoutePlan): void {
  const names = Object.keys(plan.slots);
  if (names.length === 0) throw new ConfigurationError('route plan: no slots given; name at least one slot');
  let total = 0;
  for (const name of names) {
    if (!ROUTE_NAME.test(name)) {
      throw new ConfigurationError(
        `route plan: slot name ${JSON.stringify(name)} is not valid; use letters, digits, '.', '_' and '-' (up to 63, starting with a letter or digit)`,
      );
    }
    const { address, weight } = plan.slots[name]!;
    if (!Number.isInteger(weight) || weight < 0 || weight > 100) {
      throw new ConfigurationError(`route plan: slot ${name}: weight ${weight} is not valid; use a whole percent from 0 to 100`);
    }
    if (address !== undefined) parseAddress(`route plan: slot ${name}`, address);
    total += weight;
  }
  if (total !== 100) {
    const listed = names.map((name) => `${name} ${plan.slots[name]!.weight}`).join(', ');
    throw new ConfigurationError(`route plan: weights add up to ${total} (${listed}); they are percents of new requests and must add up to 100`);
  }
}
