import type { Target } from '../deploy/target.ts';
import { errorMessage } from '../errors.ts';

/** What explains a failed container: how it ended, its health check's words and its last log lines. */
export interface ContainerEvidence {
  name: string;
  state: string;
  exitCode: number;
  health: string;
  healthLog?: string;
  /** The last lines, bounded (see LOG_LIMITS); secrets are masked by the sink that prints them. */
  logTail: string;
  /** Lines were left out at the top to stay within the bounds. */
  truncated: boolean;
}

export const LOG_LIMITS = { lines: 30, bytes: 4_096 };

/** The last `lines` lines of `text` that fit in `bytes` (UTF-8), whole lines only. */
export function boundLogTail(text: string, limits = LOG_LIMITS): { text: string; truncated: boolean } {
  const all = text.replace(/\s+$/, '').split('\n');
  const kept: string[] = [];
  let size = 0;
  for (let i = all.length - 1; i >= 0 && kept.length < limits.lines; i--) {
    const lineBytes = Buffer.byteLength(all[i]!) + 1;
    if (size + lineBytes > limits.bytes) break;
    size += lineBytes;
    kept.unshift(all[i]!);
  }
  return { text: kept.join('\n'), truncated: kept.length < all.length && text.trim() !== '' };
}

/**
 * Reads the evidence while the container still exists (a failed release is removed right after).
 * Never throws: evidence that cannot be read is said so, the failure it explains matters more.
 */
export async function gatherEvidence(target: Pick<Target, 'inspect' | 'logs'>, name: string, limits = LOG_LIMITS): Promise<ContainerEvidence | undefined> {
  try {
    const container = await target.inspect(name);
    if (!container) return undefined;
    const logs = await target.logs(name, { tail: limits.lines }).catch((error: unknown) => `(its logs could not be read: ${errorMessage(error)})`);
    const tail = boundLogTail(logs, limits);
    const { state, exitCode, health, healthLog } = container.status;
    return { name, state, exitCode, health, ...(healthLog ? { healthLog } : {}), logTail: tail.text, truncated: tail.truncated };
  } catch {
    return undefined;
  }
}
