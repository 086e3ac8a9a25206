import type { Clock } from '../../health/clock.ts';

/** A FAKE clock: time moves only when someone sleeps or calls advance(), so minutes of probing take none. */
export class FakeClock implements Clock {
  #now: number;

  constructor(start = Date.parse('2025-03-01T12:00:00Z')) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  async sleep(ms: number): Promise<void> {
    this.#now += ms;
  }

  advance(ms: number): void {
    this.#now += ms;
  }
}
