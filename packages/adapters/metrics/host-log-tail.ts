import type { HostSystem } from '../host/host-system.ts';

const READ_TIMEOUT_MS = 30_000;
const MISSING = 3;
// Positional parameters only: the path, inode and offset are arguments of the script, never its text.
// Prints `<inode> <size>` then the bytes from the offset to that size; from the start when the file
// is another one (rotated) or shorter (truncated).
const READ = [
  `if [ ! -e "$1" ]; then exit ${MISSING}; fi`,
  `s=$(stat -L -c '%i %s' -- "$1") || exit 1`,
  `printf '%s\\n' "$s"`,
  'i=${s% *}; n=${s#* }; o=0',
  'if [ "$i" = "$2" ] && [ "$n" -ge "$3" ]; then o=$3; fi',
  'tail -c +$((o + 1)) -- "$1" | head -c $((n - o))',
].join('\n');

/**
 * Follows a log file on a host through its HostSystem (one short `sh` per read over the host's
 * connection), as LogTail follows a local one: complete lines since the previous read, a partial
 * last line kept for the next. After a rotation the new file is read from its start; what the old
 * file got after the previous read is not (a window's worth of lines at most).
 */
export class HostLogTail {
  readonly path: string;
  readonly #system: HostSystem;
  #inode = '';
  #position = 0;
  #partial = '';

  /** Starts at the file's current end: only lines written from now on are read. */
  static async open(system: HostSystem, path: string): Promise<HostLogTail> {
    const tail = new HostLogTail(system, path);
    const first = await tail.#fetch();
    if (first) [tail.#inode, tail.#position] = [first.inode, first.size];
    return tail;
  }

  private constructor(system: HostSystem, path: string) {
    this.#system = system;
    this.path = path;
  }

  async read(onLine: (line: string) => void): Promise<void> {
    const got = await this.#fetch();
    if (!got) {
      if (this.#inode === '')
        throw new Error(
          `there is no access log at ${this.path} on ${this.#system.name} (yet); nginx creates it when its configuration has access_log ${this.path} sidhe_canary`,
        );
      return;
    }
    if (got.inode !== this.#inode || got.size < this.#position) this.#partial = '';
    [this.#inode, this.#position] = [got.inode, got.size];
    const lines = (this.#partial + got.text).split('\n');
    this.#partial = lines.pop()!;
    for (const line of lines) if (line.trim() !== '') onLine(line);
  }

  async close(): Promise<void> {}

  /** The file's inode, size and the bytes from the position to that size; undefined when there is no file. */
  async #fetch(): Promise<{ inode: string; size: number; text: string } | undefined> {
    const result = await this.#system.run('sh', ['-c', READ, 'sh', this.path, this.#inode || '0', String(this.#position)], { timeoutMs: READ_TIMEOUT_MS });
    if (result.exitCode === MISSING) return undefined;
    const header = /^(\d+) (\d+)\n/.exec(result.stdout);
    if (result.exitCode !== 0 || !header)
      throw new Error(`could not read ${this.path} on ${this.#system.name}: ${result.stderr.trim() || `exit code ${result.exitCode}`}`);
    return { inode: header[1]!, size: Number(header[2]), text: result.stdout.slice(header[0].length) };
  }
}
