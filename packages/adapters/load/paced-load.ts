import type { Clock } from '../../core/health/index.ts';
import type { LoadReport } from '../../core/strategies/canary-ports.ts';

export interface PacedLoadOptions {
  /** Requests a second. */
  rate: number;
  /** Requests that may wait for an answer at once; a request due beyond that is skipped, not queued. */
  maxInFlight: number;
  clock: Clock;
  /** Sends one request; resolves true when it was answered (any status), false when it failed. */
  send(): Promise<boolean>;
}

export interface PacedLoad {
  /** Ends the sending and waits for the requests in flight. */
  stop(): Promise<LoadReport>;
}

/**
 * Sends `rate` requests a second from now until stop(): the nth is due n/rate seconds after the
 * start, so a late wake-up sends what fell due at once and the rate holds over the run. A slow
 * service never builds a queue: beyond maxInFlight, due requests are counted as skipped.
 */
export function startPacedLoad(options: PacedLoadOptions): PacedLoad {
  const { rate, maxInFlight, clock, send } = options;
  const report: LoadReport = { sent: 0, answered: 0, failed: 0, skipped: 0 };
  const inFlight = new Set<Promise<void>>();
  const started = clock.now();
  let stopped = false;
  let wake: () => void = () => {};
  const stopping = new Promise<void>((resolve) => (wake = resolve));

  const fire = (): void => {
    report.sent += 1;
    const request: Promise<void> = send()
      .then(
        (answered) => answered,
        () => false,
      )
      .then((answered) => {
        if (answered) report.answered += 1;
        else report.failed += 1;
        inFlight.delete(request);
      });
    inFlight.add(request);
  };

  const loop = (async () => {
    while (!stopped) {
      const due = Math.floor(((clock.now() - started) * rate) / 1000) + 1;
      while (report.sent + report.skipped < due) {
        if (inFlight.size < maxInFlight) fire();
        else report.skipped += 1;
      }
      const next = started + ((report.sent + report.skipped) * 1000) / rate;
      await Promise.race([clock.sleep(Math.max(1, next - clock.now())), stopping]);
    }
  })();

  return {
    async stop() {
      stopped = true;
      wake();
      await loop;
      await Promise.all([...inFlight]);
      return { ...report };
    },
  };
}
