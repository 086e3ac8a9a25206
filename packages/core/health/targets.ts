import { invalidValue } from '../errors.ts';
import { parseList } from '../inputs/index.ts';
import type { Comparison } from './prometheus-checks.ts';

/** What a health check probes. `id` is the text the user wrote: every message and report names it. */
export type HealthTarget =
  | { kind: 'http'; id: string; url: string }
  | { kind: 'tcp'; id: string; host: string; port: number }
  | { kind: 'container'; id: string; name: string }
  | { kind: 'prometheus'; id: string; url: string; query: string; comparison: Comparison };

const ALLOWED = 'use one target a line: http(s)://host[:port]/path, tcp://host:port or container://<name>';
const CONTAINER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

/** Parses the `targets` input: one target a line (no commas: a URL may contain them). */
export function parseTargets(raw: string, what = 'targets'): HealthTarget[] {
  const seen = new Set<string>();
  return parseList(raw, { commas: false }).map((line) => {
    if (seen.has(line)) throw invalidValue(what, line, `list each target once; ${ALLOWED}`);
    seen.add(line);
    const target = parseTarget(line);
    if (!target) throw invalidValue(what, line, ALLOWED);
    if (target.kind === 'http' && /^[a-z]+:\/\/[^/]*@/i.test(line)) {
      throw invalidValue(what, line, 'leave credentials out of a target URL: it is printed in the log and the report');
    }
    return target;
  });
}

function parseTarget(line: string): HealthTarget | undefined {
  const scheme = /^([a-z]+):\/\//i.exec(line)?.[1]?.toLowerCase();
  if (scheme === 'container') {
    const name = line.slice('container://'.length);
    return CONTAINER_NAME.test(name) ? { kind: 'container', id: line, name } : undefined;
  }
  const url = URL.canParse(line) ? new URL(line) : undefined;
  if (!url || url.hostname === '') return undefined;
  if (scheme === 'http' || scheme === 'https') return { kind: 'http', id: line, url: url.href };
  if (scheme === 'tcp') {
    const port = Number(url.port);
    const bare = url.pathname === '' && url.search === '' && url.hash === '';
    // URL keeps the brackets of an IPv6 literal; net.connect wants the bare address.
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    return bare && port > 0 ? { kind: 'tcp', id: line, host, port } : undefined;
  }
  return undefined;
}
