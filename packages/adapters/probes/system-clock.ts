import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from '../../core/health/index.ts';

/** The real clock the core's Clock stands for. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => sleep(ms),
};
