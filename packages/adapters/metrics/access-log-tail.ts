import { open, stat, type FileHandle } from 'node:fs/promises';

/** Bytes read at a time: a burst of any size is streamed, never held whole. */
const CHUNK_BYTES = 64 * 1024;
/** A "line" longer than this is not one nginx wrote for us; it is handed on in pieces (and read as malformed). */
const MAX_LINE_BYTES = 64 * 1024;

/**
 * Follows a log file as nginx appends to it: each read hands on the complete lines written since the
 * previous one and keeps a partial last line for the next read. Rotation is followed: when the path
 * names another file (renamed away, then reopened by nginx) the rest of the old file is read first,
 * then the new one from its start; a file that shrank (copytruncate) is read again from its start.
 */
export class LogTail {
  readonly path: string;
  #handle: FileHandle | undefined;
  #inode = 0;
  #position = 0;
  #partial = Buffer.alloc(0);

  /** Starts at the file's current end: only lines written from now on are read. */
  static async open(path: string): Promise<LogTail> {
    const tail = new LogTail(path);
    await tail.#attach('end');
    return tail;
  }

  private constructor(path: string) {
    this.path = path;
  }

  /** Calls onLine with every complete line written since the previous read, in order. */
  async read(onLine: (line: string) => void): Promise<void> {
    const current = await stat(this.path).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (this.#handle === undefined) {
      if (current === undefined)
        throw new Error(`there is no access log at ${this.path} (yet); nginx creates it when its configuration has access_log ${this.path} sidhe_canary`);
      await this.#attach('start');
    } else if (current !== undefined && current.ino !== this.#inode) {
      await this.#readTo(onLine, (await this.#handle.stat()).size);
      await this.#handle.close();
      this.#handle = undefined;
      await this.#attach('start');
    }
    // Gone again between the stat and the open: the next read takes it up.
    if (this.#handle === undefined) return;
    const { size } = await this.#handle.stat();
    if (size < this.#position) {
      this.#position = 0;
      this.#partial = Buffer.alloc(0);
    }
    await this.#readTo(onLine, size);
  }

  async close(): Promise<void> {
    await this.#handle?.close();
    this.#handle = undefined;
  }

  async #attach(from: 'start' | 'end'): Promise<void> {
    try {
      this.#handle = await open(this.path, 'r');
    } catch (error) {
      // Not there yet: the first read takes it from its start once nginx creates it.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    const { ino, size } = await this.#handle.stat();
    this.#inode = ino;
    this.#position = from === 'end' ? size : 0;
    this.#partial = Buffer.alloc(0);
  }

  async #readTo(onLine: (line: string) => void, end: number): Promise<void> {
    const chunk = Buffer.alloc(CHUNK_BYTES);
    while (this.#position < end) {
      const { bytesRead } = await this.#handle!.read(chunk, 0, Math.min(CHUNK_BYTES, end - this.#position), this.#position);
      if (bytesRead === 0) break;
      this.#position += bytesRead;
      let pending = Buffer.concat([this.#partial, chunk.subarray(0, bytesRead)]);
      for (let newline = pending.indexOf(10); newline !== -1; newline = pending.indexOf(10)) {
        const line = pending.subarray(0, newline).toString('utf8');
        if (line.trim() !== '') onLine(line);
        pending = pending.subarray(newline + 1);
      }
      if (pending.length > MAX_LINE_BYTES) {
        onLine(pending.toString('utf8'));
        pending = Buffer.alloc(0);
      }
      // A copy: the chunk buffer is reused on the next turn.
      this.#partial = Buffer.from(pending);
    }
  }
}
