import type { AcquireOptions, EnvironmentLock } from '../../deploy/environment-lock.ts';
import { ActionFailure } from '../../errors.ts';

/** A FAKE environment lock: writes each call to the shared journal; refuse() makes acquire() fail. */
export class FakeLock implements EnvironmentLock {
  held = false;
  acquiredWith: AcquireOptions | undefined;
  #journal: string[];
  #refusal: string | undefined;

  constructor(journal: string[]) {
    this.#journal = journal;
  }

  /** The next acquire() fails with this message, as a lock another run holds would. */
  refuse(message: string): void {
    this.#refusal = message;
  }

  async acquire(options: AcquireOptions): Promise<void> {
    this.#journal.push('lock acquire');
    if (this.#refusal !== undefined) throw new ActionFailure(this.#refusal);
    if (this.held) throw new Error('fake lock: acquired twice');
    this.held = true;
    this.acquiredWith = options;
  }

  async refresh(): Promise<void> {
    this.#journal.push('lock refresh');
    if (!this.held) throw new Error('fake lock: refresh() without holding it');
  }

  async release(): Promise<void> {
    this.#journal.push('lock release');
    this.held = false;
  }
}
