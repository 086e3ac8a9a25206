import { invalidValue } from '../errors.ts';
import { maskUrlCredentials } from '../url-credentials.ts';
import { MAX_BASELINE_WEIGHT } from '../strategies/canary-baseline.ts';

export const MAX_LOAD_RATE = 1000;
const LOAD_RULE = `use <rate>/s <URL of the router's front>, a whole rate from 1 to ${MAX_LOAD_RATE}, e.g. 20/s http://127.0.0.1:8080/healthz`;

/**
 * `load`: `20/s http://127.0.0.1:8080/healthz`. A full URL, not a path: the action sends through the
 * router's front (where users' requests arrive), which only the user knows. Errors never show a password.
 */
export function parseLoad(what: string, raw: string): { rate: number; url: string } {
  const shown = maskUrlCredentials(raw.trim());
  const match = /^(\d+)\s*\/\s*s\s+(\S+)$/.exec(raw.trim());
  if (!match) throw invalidValue(what, shown, LOAD_RULE);
  const rate = Number(match[1]);
  if (rate < 1 || rate > MAX_LOAD_RATE) throw invalidValue(what, shown, `the rate is ${rate}/s; ${LOAD_RULE}`);
  const url = match[2]!;
  if (url.startsWith('/')) throw invalidValue(what, shown, `give the router's front as a full URL, not only a path; ${LOAD_RULE}`);
  if (!/^https?:\/\/[^/\s]/i.test(url) || !URL.canParse(url)) throw invalidValue(what, shown, `the URL must be http:// or https:// with a host; ${LOAD_RULE}`);
  if (new URL(url).hash !== '') throw invalidValue(what, shown, `a URL fragment (#...) is never sent; ${LOAD_RULE}`);
  return { rate, url };
}

/**
 * `baseline-port`: where the baseline listens; by default the port after the higher of `ports`
 * (8083 beside 8081,8082). It must be neither colour's port. A plan with no step at or below 50%
 * would never give the baseline traffic, so it is refused.
 */
export function readBaselinePort(given: string | undefined, ports: { blue: number; green: number }, steps: readonly number[]): number {
  if (!steps.some((weight) => weight <= MAX_BASELINE_WEIGHT)) {
    throw invalidValue(
      'baseline',
      'true',
      `a baseline takes the canary's share only at steps up to ${MAX_BASELINE_WEIGHT}%, and steps ${steps.join(',')} have none; add one (e.g. 10,50,100) or set baseline: false`,
    );
  }
  const higher = Math.max(ports.blue, ports.green);
  const port = given === undefined ? (higher < 65535 ? higher + 1 : Math.min(ports.blue, ports.green) - 1) : Number(given.trim());
  const what = given === undefined ? `baseline-port (from ports ${ports.blue},${ports.green})` : 'baseline-port';
  if (!/^\d{1,5}$/.test(String(given ?? port).trim()) || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw invalidValue(what, String(given ?? port), 'use a port from 1 to 65535');
  }
  if (port === ports.blue || port === ports.green) {
    throw invalidValue(
      what,
      String(port),
      `it is the port of ${port === ports.blue ? 'blue' : 'green'} (ports ${ports.blue},${ports.green}); give the baseline a port of its own`,
    );
  }
  return port;
}
