/** Time as the core sees it. Handed in, so a test runs a five-minute session in microseconds. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  sleep(ms: number): Promise<void>;
}
