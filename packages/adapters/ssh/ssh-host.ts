import { invalidValue } from '../../core/errors.ts';
import { isIP } from 'node:net';

/** One remote host as `ssh://user@host[:port]` names it; every part checked so none can become an ssh option. */
export interface SshHost {
  user: string;
  /** A hostname, an IPv4 address or an IPv6 address without its brackets. */
  hostname: string;
  port: number;
  /** `ssh://user@host:port`, the host as messages name it. */
  url: string;
}

const URL_SHAPE = /^ssh:\/\/([^@/?#\s]+)@(\[[^\]\s]+\]|[^:/?#\s[\]]+)(?::(\d{1,5}))?\/?$/;
const USER = /^[a-z_][a-z0-9_.-]{0,31}$/i;
const HOSTNAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;
const ALLOWED = 'use ssh://user@host[:port] with a hostname, an IPv4 address or an [IPv6] address, and a user of letters, digits, `_`, `.` or `-`';

/**
 * Parses one host of the `hosts` input (`input` names it in errors). Strict on purpose: the parts end
 * up on ssh's command line, so a host like `-oProxyCommand=...` or a user with shell syntax is refused
 * here rather than trusted to quoting.
 */
export function parseSshHost(input: string, raw: string): SshHost {
  const value = raw.trim();
  const match = URL_SHAPE.exec(value);
  if (!match) throw invalidValue(input, raw, ALLOWED);
  const [, user, hostPart, portText] = match as unknown as [string, string, string, string | undefined];
  if (!USER.test(user)) throw invalidValue(`${input} (user)`, user, 'a user starts with a letter or `_` and holds letters, digits, `_`, `.` or `-`');
  const bracketed = hostPart.startsWith('[');
  const hostname = bracketed ? hostPart.slice(1, -1) : hostPart;
  const valid = bracketed ? isIP(hostname) === 6 : isIP(hostname) === 4 || (HOSTNAME.test(hostname) && !/^[\d.]+$/.test(hostname));
  if (!valid) throw invalidValue(`${input} (host)`, hostPart, 'a hostname, an IPv4 address or an IPv6 address in brackets');
  const port = portText === undefined ? 22 : Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw invalidValue(`${input} (port)`, portText ?? '', 'a port from 1 to 65535');
  const shown = bracketed ? `[${hostname}]` : hostname;
  return { user, hostname, port, url: `ssh://${user}@${shown}:${port}` };
}
