import { ActionFailure, ConfigurationError, errorMessage, invalidValue } from '../errors.ts';
import type { Target } from '../deploy/target.ts';
import type { Prober } from '../health/prober.ts';
import { parsePercentage } from '../inputs/percentages.ts';
import type { Router } from '../routing/router.ts';

/** One server of a fleet: its engine, its own router in front of the service, and probes run from it. */
export interface FleetHost {
  /** How messages name it: `web1`, or `ssh://deploy@10.0.0.2`. */
  name: string;
  target: Target;
  router: Router;
  prober: Prober;
}

/** How many hosts start a release at once: a count, or a percent of the fleet (rounded up). */
export type BootLimit = number | { percent: number };

/** Parses `boot-limit`: `1`, `2`, `25%`. */
export function parseBootLimit(what: string, raw: string): BootLimit {
  const text = raw.trim();
  if (text.endsWith('%')) {
    const percent = parsePercentage(what, text);
    if (percent <= 0) throw invalidValue(what, raw, 'use a number of hosts (1 or more) or a percent above 0, e.g. 1 or 25%');
    return { percent };
  }
  const count = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(count) || count < 1) throw invalidValue(what, raw, 'use a number of hosts (1 or more) or a percent above 0, e.g. 1 or 25%');
  return count;
}

/** The hosts in the order they start: waves of at most the boot limit, the first wave first. */
export function bootWaves<T>(hosts: readonly T[], limit: BootLimit | undefined): T[][] {
  const size = limit === undefined ? hosts.length : typeof limit === 'number' ? limit : Math.ceil((hosts.length * limit.percent) / 100);
  const step = Math.max(1, Math.min(hosts.length, size));
  const waves: T[][] = [];
  for (let i = 0; i < hosts.length; i += step) waves.push(hosts.slice(i, i + step));
  return waves;
}

export function checkHosts(hosts: readonly FleetHost[]): void {
  if (hosts.length === 0) throw new ConfigurationError('hosts: no host given; give one or more, e.g. ssh://deploy@web1');
  const seen = new Set<string>();
  for (const { name } of hosts) {
    if (seen.has(name)) throw invalidValue('hosts', name, 'list each host once');
    seen.add(name);
  }
}

export const hostNames = (hosts: readonly { name: string }[]): string => hosts.map((host) => host.name).join(', ');

/** `web2: connection refused`: every error from one host of a fleet starts with its name. */
export const onHost = (host: { name: string }, message: string): string => `${host.name}: ${message}`;

/**
 * Runs `work` on every host at once and waits for all, so a failure on one leaves none half-done.
 * Rejects when any failed, with one ActionFailure naming each host that failed and its words.
 */
export async function onEveryHost<H extends { name: string }, T>(hosts: readonly H[], work: (host: H) => Promise<T>): Promise<T[]> {
  const settled = await Promise.allSettled(hosts.map((host) => work(host)));
  const failed = settled.flatMap((result, i) => (result.status === 'rejected' ? [{ host: hosts[i]!, error: result.reason as unknown }] : []));
  if (failed.length > 0) throw hostsFailure(failed, failed.map(({ host, error }) => onHost(host, errorMessage(error))).join('; '));
  return settled.map((result) => (result as PromiseFulfilledResult<T>).value);
}

/**
 * One error for what failed on several hosts, of the kind their errors were: the user's mistake, a
 * verdict, or (when any host's error was neither) a bug, which keeps the first such error as its cause.
 */
export function hostsFailure(failed: readonly { error: unknown }[], message: string): Error {
  const errors = failed.map((f) => f.error);
  if (errors.every((e) => e instanceof ConfigurationError)) return new ConfigurationError(message);
  const bug = errors.find((e) => !(e instanceof ActionFailure) && !(e instanceof ConfigurationError));
  return bug === undefined ? new ActionFailure(message) : new Error(message, { cause: bug });
}
