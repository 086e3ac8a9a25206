import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../core/strategies/testing/fake-clock.ts';

/** A FAKE clock whose sleep also yields to the event loop, so the test runs beside the pacer's loop. */
class YieldingClock extends FakeClock {
  override async sleep(ms: number): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    await super.sleep(ms);
  }
}
import { startPacedLoad } from './paced-load.ts';

/** Lets the pacer's loop run until the clock has moved `ms` (it moves only when the pacer sleeps). */
async function runFor(clock: YieldingClock, ms: number): Promise<void> {
  const until = clock.now() + ms;
  while (clock.now() < until) await new Promise((resolve) => setImmediate(resolve));
}

describe('startPacedLoad', () => {
  it('sends rate requests a second, paced, and stops when asked', async () => {
    const clock = new YieldingClock();
    const sentAt: number[] = [];
    const load = startPacedLoad({ rate: 20, maxInFlight: 20, clock, send: async () => (sentAt.push(clock.now()), true) });
    await runFor(clock, 3_000);
    const report = await load.stop();

    expect(report.sent).toBeGreaterThanOrEqual(60);
    expect(report.sent).toBeLessThanOrEqual(61);
    expect(report).toMatchObject({ answered: report.sent, failed: 0, skipped: 0 });
    // One every 50 ms, not bursts.
    const gaps = sentAt.slice(1).map((t, i) => t - sentAt[i]!);
    expect(new Set(gaps)).toEqual(new Set([50]));
    const after = sentAt.length;
    clock.advance(1_000);
    for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(sentAt.length).toBe(after);
  });

  it('skips what falls due beyond maxInFlight instead of queueing, and counts failures', async () => {
    const clock = new YieldingClock();
    const hung: (() => void)[] = [];
    let calls = 0;
    const send = (): Promise<boolean> => {
      calls += 1;
      if (calls === 1) return Promise.reject(new Error('connection refused'));
      return new Promise((resolve) => hung.push(() => resolve(true)));
    };
    const load = startPacedLoad({ rate: 10, maxInFlight: 3, clock, send });
    await runFor(clock, 1_000);
    const stopping = load.stop();
    hung.forEach((answer) => answer());
    const report = await stopping;

    expect(report).toMatchObject({ sent: 4, answered: 3, failed: 1 });
    expect(report.skipped).toBeGreaterThanOrEqual(6);
  });
});
