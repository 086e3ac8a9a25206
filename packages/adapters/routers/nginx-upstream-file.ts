import { ConfigurationError } from '../../core/errors.ts';
import { excerpt } from '../../core/message-bounds.ts';
import { ROUTE_NAME } from '../../core/routing/route-plan.ts';

/**
 * The managed upstream file: only `server` lines, one per slot, included inside the user's
 * `upstream` block so the user keeps `keepalive`, `zone` and the balancing method. nginx has no
 * weight 0, so a slot at 0% is `down`: it takes no new requests, and a graceful reload lets the ones
 * in flight finish on the old workers.
 */
export interface UpstreamSlot {
  name: string;
  address: string;
  weight: number;
}

export function renderUpstreamFile(service: string, slots: readonly UpstreamSlot[]): string {
  const lines = [...slots]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map(({ name, address, weight }) => `server ${address} ${weight > 0 ? `weight=${weight}` : 'down'}; # slot ${name}`);
  return [
    `# Managed by SIDHE DevOps for ${service}: rewritten on every switch, so change it through SIDHE, not by hand.`,
    '# Server lines for one upstream block, which includes this file.',
    ...lines,
    '',
  ].join('\n');
}

const SERVER_LINE = /^server (\S+) (?:weight=(\d+)|down); # slot (\S+)$/;

export function parseUpstreamFile(text: string, path: string): UpstreamSlot[] {
  return text.split('\n').flatMap((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return [];
    const match = SERVER_LINE.exec(line);
    if (!match || !ROUTE_NAME.test(match[3]!)) {
      // The endpoint names a file SIDHE did not write: the user's to fix, quoting only the start of the line.
      throw new ConfigurationError(
        `router-endpoint: ${path} line ${index + 1} is not a line SIDHE writes (expected "server <host:port> weight=<n>|down; # slot <name>"): ${excerpt(line)}`,
      );
    }
    return [{ name: match[3]!, address: match[1]!, weight: match[2] === undefined ? 0 : Number(match[2]) }];
  });
}
