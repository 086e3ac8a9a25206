import { errorMessage } from '../../core/errors.ts';
import { localSystem, type HostSystem } from '../host/host-system.ts';
import type { NginxEndpoint } from './nginx-endpoint.ts';
import { pidFileFrom, readWorkers, reloaded } from './nginx-workers.ts';

const RELOAD_TIMEOUT_MS = 10_000;

/** How to run one nginx: its binary, main config and prefix. */
export type NginxBinary = Pick<NginxEndpoint, 'nginx' | 'conf' | 'prefix'>;

/**
 * Tests and reloads one nginx: what the upstream router and the preview server blocks share. test()
 * runs `nginx -T` (the config test, which also shows the pid file); reload() signals and waits.
 */
export class NginxControl {
  readonly #binary: NginxBinary;
  readonly #system: HostSystem;

  constructor(binary: NginxBinary, system: HostSystem = localSystem) {
    this.#binary = binary;
    this.#system = system;
  }

  /** `nginx -T`: the whole config as nginx reads it; rejects with nginx's words when it refuses it. */
  test(what: string): Promise<string> {
    return this.#nginx(['-T'], what);
  }

  /**
   * Signals the reload, then waits until nginx's new workers run and the old ones stopped accepting,
   * so new requests follow the new weights when apply() returns. Where this host cannot see nginx's
   * processes (nginx in a container, a wrapper as `nginx`), it returns once the signal is sent.
   */
  async reload(dump: string): Promise<void> {
    const masterPid = await this.#masterPid(dump);
    const before = masterPid === undefined ? undefined : await readWorkers(masterPid, this.#system);
    await this.#nginx(['-s', 'reload'], 'nginx -s reload failed');
    if (masterPid === undefined || before === undefined || before.size === 0) return;
    const deadline = Date.now() + RELOAD_TIMEOUT_MS;
    while (Date.now() < deadline) {
      const now = await readWorkers(masterPid, this.#system);
      if (now === undefined || reloaded(before, now)) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(
      `nginx did not take the new config within ${RELOAD_TIMEOUT_MS / 1000} s (its workers did not change); ` +
        "nginx keeps its previous config when it cannot apply a new one, see nginx's error log",
    );
  }

  async #masterPid(dump: string): Promise<number | undefined> {
    const version = /^\s*pid\s/m.test(dump) ? '' : (await this.#system.run(this.#binary.nginx, ['-V'], { timeoutMs: 30_000 })).stderr;
    const pidFile = pidFileFrom(dump, version, this.#binary.prefix);
    const text = pidFile === undefined ? '' : ((await this.#system.readFile(pidFile).catch(() => undefined)) ?? '');
    return /^\d+\s*$/.test(text) ? Number(text) : undefined;
  }

  async #nginx(args: string[], what: string): Promise<string> {
    const { nginx, conf, prefix } = this.#binary;
    // `-e stderr`: nginx's own start-up messages come back to us instead of a log we may not read.
    const base = ['-e', 'stderr', ...(prefix ? ['-p', prefix] : []), ...(conf ? ['-c', conf] : [])];
    const result = await this.#system.run(nginx, [...base, ...args], { timeoutMs: 30_000 }).catch((error: unknown) => {
      throw new Error(`${what}: ${errorMessage(error)}`);
    });
    if (result.timedOut) throw new Error(`${what}: no answer within 30 s`);
    if (result.exitCode === 0) return result.stdout;
    // nginx writes `2026/01/02 03:04:05 [emerg] 123#123: host not found ... in /path:3`; keep level and words.
    const lines = result.stderr.split('\n').map((line) =>
      line
        .replace(/^nginx: /, '')
        .replace(/^[\d/]+ [\d:]+ (\[\w+\]) \d+#\d+: /, '$1 ')
        .trim(),
    );
    const serious = lines.filter((line) => /^\[(emerg|alert|crit|error)\]/.test(line));
    throw new Error(`${what}: ${(serious.length > 0 ? serious : lines.filter(Boolean)).join('; ') || `exit code ${result.exitCode}`}`);
  }
}
