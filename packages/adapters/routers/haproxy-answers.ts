import { ConfigurationError } from '../../core/errors.ts';
import { excerpt, firstLine } from '../../core/message-bounds.ts';
import type { SlotAdmin, SlotHealth, SlotView } from '../../core/routing/router.ts';

/**
 * Reads what HAProxy's runtime API answers. HAProxy reports a refused command as plain text on a
 * connection that otherwise looks successful, so every answer is checked against what success says.
 */

/** One server line of `show servers state` (format version 1; columns as HAProxy names them). */
export interface ServerState {
  backend: string;
  name: string;
  address: string;
  opState: number;
  adminState: number;
  weight: number;
  checkState: number;
  /** False when haproxy.cfg declares the server by IP: HAProxy then ignores the state file's address. */
  declaredByName: boolean;
}

// srv_admin_state bits (HAProxy's SRV_ADMF_*): forced, inherited, config, resolution and hostname maintenance; forced and inherited drain.
const MAINT_BITS = 0x01 | 0x02 | 0x04 | 0x20 | 0x40;
const DRAIN_BITS = 0x08 | 0x10;
// srv_check_state bit CHK_ST_CONFIGURED: the server line has `check`.
const CHECK_CONFIGURED = 0x02;
// srv_op_state: 0 stopped, 1 starting, 2 running, 3 stopping (soft-stop, e.g. disable-on-404).
const OP_UP = new Set([1, 2]);

/**
 * An answer that is not the runtime API's: the endpoint is something else (a web server, another
 * program) or a socket without `level admin`. The user's to fix, so it names the input; it quotes
 * only the start of the answer, which may be anything.
 */
export function notHaproxy(command: string, answer: string): ConfigurationError {
  const text = answer.trim();
  if (text === 'Permission denied.' || text === 'Permission denied') {
    return new ConfigurationError(`router-endpoint: HAProxy refused "${command}" (Permission denied); give the admin socket: stats socket … level admin`);
  }
  const said = text === '' ? 'answered nothing' : `answered ${excerpt(text, 60)}`;
  return new ConfigurationError(
    `router-endpoint: what listens there is not HAProxy's runtime API: asked "${command}", it ${said}; give HAProxy's admin socket (stats socket … level admin)`,
  );
}

export function parseServersState(answer: string): ServerState[] {
  const lines = answer.split('\n');
  if (lines[0]?.trim() !== '1' || !lines[1]?.startsWith('# be_id')) throw notHaproxy('show servers state', answer);
  const header = lines[1].slice(2).trim().split(' ');
  return lines
    .slice(2)
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const values = line.trim().split(' ');
      const field = (name: string) => values[header.indexOf(name)] ?? '';
      const ip = field('srv_addr');
      const port = field('srv_port');
      return {
        backend: field('be_name'),
        name: field('srv_name'),
        address: ip === '-' || ip === '' ? '' : `${ip.includes(':') ? `[${ip}]` : ip}:${port}`,
        opState: Number(field('srv_op_state')),
        adminState: Number(field('srv_admin_state')),
        weight: Number(field('srv_uweight')),
        checkState: Number(field('srv_check_state')),
        declaredByName: field('srv_fqdn') !== '-',
      };
    });
}

/** `show stat` CSV as rows keyed by column name. HAProxy quotes a field that holds a comma or quote. */
export function parseStat(answer: string): Record<string, string>[] {
  const lines = answer.split('\n').filter((line) => line.trim() !== '');
  if (!lines[0]?.startsWith('# pxname,')) throw notHaproxy('show stat', answer);
  const header = splitCsv(lines[0].slice(2));
  return lines.slice(1).map((line) => {
    const values = splitCsv(line);
    return Object.fromEntries(header.map((name, index) => [name, values[index] ?? '']));
  });
}

function splitCsv(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < line.length; index++) {
    const char = line[index]!;
    if (quoted && char === '"' && line[index + 1] === '"') {
      field += '"';
      index++;
    } else if (char === '"') {
      quoted = !quoted;
    } else if (char === ',' && !quoted) {
      fields.push(field);
      field = '';
    } else {
      field += char;
    }
  }
  fields.push(field);
  return fields;
}

export function toSlotView(server: ServerState, stat: Record<string, string> | undefined): SlotView {
  const admin: SlotAdmin = server.adminState & MAINT_BITS ? 'maint' : server.adminState & DRAIN_BITS ? 'drain' : 'ready';
  const checked = (server.checkState & CHECK_CONFIGURED) !== 0;
  const health: SlotHealth = !OP_UP.has(server.opState) ? 'down' : checked ? 'up' : 'unchecked';
  const status = stat?.status ?? '';
  // The last check's words explain a failure only; after a forced `health down` they may say it passed.
  const failedCheck = stat !== undefined && stat.check_status !== '' && !/OK/.test(stat.check_status ?? '');
  const detail = failedCheck && stat.check_desc ? `${status} (${stat.check_desc})` : status;
  return { address: server.address, weight: server.weight, admin, health, detail };
}

/**
 * What HAProxy says when a `set server` command worked: nothing for weight and state, a sentence
 * about what changed for addr. Returns HAProxy's own words when it refused.
 */
export function refusal(command: string, answer: string): string | undefined {
  const text = answer.trim();
  const worked = / addr /.test(command) ? /^(IP changed from|no need to change the addr)/.test(text) : text === '';
  return worked ? undefined : text === '' ? '(empty answer)' : firstLine(text);
}
