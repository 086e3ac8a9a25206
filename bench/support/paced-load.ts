import { Agent } from 'node:http';
import { get } from '../../packages/adapters/routers/testing/keep-alive-load.ts';

/**
 * Load at a steady rate over a few keep-alive connections that remembers when each answer arrived
 * and what it said, so a benchmark can tell when traffic moved from one release to another.
 * Bounded in time and count: it stops by itself even if nobody calls stop().
 *
 * Like the keep-alive client of the router tests (whose `get` it uses), a GET whose connection was
 * closed before any answer is sent once more on a new connection (RFC 9112 §9.3.1); `resent` lists
 * those, so a report can say what a client that never resends would have seen fail.
 */
export interface PacedLoadOptions {
  /** Requests per second, spread over the connections. */
  rate: number;
  connections: number;
  maxSeconds: number;
}

/** Times are `performance.now()` of this process, in ms. */
export interface TimedAnswer {
  at: number;
  body: string;
}

export interface LoadFailure {
  at: number;
  kind: 'connection' | 'status';
  detail: string;
}

export interface PacedLoadResult {
  sent: number;
  startedAt: number;
  stoppedAt: number;
  /** Every 200 answer, in order of arrival. */
  answers: TimedAnswer[];
  failures: LoadFailure[];
  resent: { at: number; reused: boolean }[];
  /** True when the time or count bound stopped it, not stop(). */
  hitBound: boolean;
}

export interface PacedLoad {
  stop(): Promise<PacedLoadResult>;
  /** What the load has seen so far, while it keeps running: a test's share of a load that outlives it. */
  peek(): Pick<PacedLoadResult, 'answers' | 'failures'>;
}

/** How far a loop may fall behind its schedule before the missed slots are dropped, not burst. */
const MAX_LAG_MS = 250;

export function startPacedLoad(url: string, { rate, connections, maxSeconds }: PacedLoadOptions): PacedLoad {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const intervalMs = 1000 / rate;
  const maxCount = Math.ceil(rate * maxSeconds);
  const startedAt = performance.now();
  const deadline = startedAt + maxSeconds * 1000;
  const result: PacedLoadResult = { sent: 0, startedAt, stoppedAt: startedAt, answers: [], failures: [], resent: [], hitBound: false };
  let running = true;
  let slot = 0;

  const once = async (): Promise<void> => {
    result.sent++;
    try {
      const answer = await get(url, agent).catch((error: unknown) => {
        if (!closedBeforeAnswer(error)) throw error;
        result.resent.push({ at: performance.now(), reused: error.reused });
        return get(url, false);
      });
      const at = performance.now();
      if (answer.status === 200) result.answers.push({ at, body: answer.body.trim() });
      else result.failures.push({ at, kind: 'status', detail: `status ${answer.status}: ${answer.body.slice(0, 120)}` });
    } catch (error) {
      result.failures.push({ at: performance.now(), kind: 'connection', detail: (error as Error).message });
    }
  };

  const loop = async (): Promise<void> => {
    while (running) {
      const now = performance.now();
      if (now >= deadline || result.sent >= maxCount) {
        result.hitBound = running;
        return;
      }
      if (now - (startedAt + slot * intervalMs) > MAX_LAG_MS) slot = Math.ceil((now - startedAt) / intervalMs);
      const due = startedAt + slot++ * intervalMs;
      if (due > now) await new Promise((resolve) => setTimeout(resolve, due - now));
      if (running) await once();
    }
  };
  const loops = Array.from({ length: connections }, loop);

  return {
    async stop() {
      running = false;
      await Promise.all(loops);
      result.stoppedAt = performance.now();
      agent.destroy();
      return result;
    },
    peek: () => ({ answers: [...result.answers], failures: [...result.failures] }),
  };
}

/** The shared client's error for a connection closed before any answer: it says whether it was reused. */
function closedBeforeAnswer(error: unknown): error is Error & { reused: boolean } {
  return error instanceof Error && typeof (error as { reused?: unknown }).reused === 'boolean';
}
