import { Agent, request } from 'node:http';

/**
 * Steady load through a router over keep-alive connections, counting which backend answered and
 * every failure (a connection error or a status other than 200), for "no failed request" tests.
 *
 * A GET whose connection the server closes before any byte of an answer is sent again once, on a
 * new connection, as RFC 9112 §9.3.1 allows for idempotent requests (browsers, curl and Go do it
 * for reused keep-alive connections). `resent` counts them by the kind of connection that was
 * closed, so a report can say what a client that never resends would have seen fail.
 */
export interface LoadResult {
  sent: number;
  resent: { reused: number; fresh: number };
  failures: string[];
  byBackend: Record<string, number>;
}

export interface RunningLoad {
  /** Stops the loops after their current request and reports. */
  stop(): Promise<LoadResult>;
}

export function startKeepAliveLoad(url: string, { concurrency = 4 }: { concurrency?: number } = {}): RunningLoad {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const result: LoadResult = { sent: 0, resent: { reused: 0, fresh: 0 }, failures: [], byBackend: {} };
  let running = true;
  const loop = async () => {
    while (running) {
      result.sent++;
      try {
        const answer = await getResendingUnanswered(url, agent, (reused) => result.resent[reused ? 'reused' : 'fresh']++);
        if (answer.status === 200) result.byBackend[answer.body] = (result.byBackend[answer.body] ?? 0) + 1;
        else result.failures.push(`status ${answer.status}: ${answer.body.slice(0, 200)}`);
      } catch (error) {
        result.failures.push((error as Error).message);
      }
    }
  };
  const loops = Array.from({ length: concurrency }, loop);
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
      agent.destroy();
      return result;
    },
  };
}

/** Sends `count` requests over `concurrency` keep-alive connections and counts the answers by backend. */
export async function countResponses(url: string, count: number, concurrency = 4): Promise<Record<string, number>> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const counts: Record<string, number> = {};
  let left = count;
  const loop = async () => {
    while (left > 0) {
      left--;
      const { status, body } = await getResendingUnanswered(url, agent);
      const key = status === 200 ? body : `status ${status}`;
      counts[key] = (counts[key] ?? 0) + 1;
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, loop));
  } finally {
    agent.destroy();
  }
  return counts;
}

export interface Answer {
  status: number;
  body: string;
}

async function getResendingUnanswered(url: string, agent: Agent, onResend: (reused: boolean) => void = () => {}): Promise<Answer> {
  try {
    return await get(url, agent);
  } catch (error) {
    if (!(error instanceof ClosedBeforeAnswer)) throw error;
    onResend(error.reused);
    return get(url, false); // a new connection: another idle one in the pool may be closing too
  }
}

/** The server closed the connection before any answer: safe to resend a GET. */
class ClosedBeforeAnswer extends Error {
  readonly reused: boolean;
  constructor(message: string, reused: boolean) {
    super(message);
    this.reused = reused;
  }
}

export function get(url: string, agent?: Agent | false): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request(url, { agent, timeout: 10_000 }, (response) => {
      answered = true;
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('no answer within 10 s')));
    req.on('error', (error: NodeJS.ErrnoException) => {
      const closed = error.code === 'ECONNRESET' || error.code === 'EPIPE';
      const where = `${error.message} on a ${req.reusedSocket ? 'reused' : 'new'} connection`;
      if (closed && !answered) reject(new ClosedBeforeAnswer(where, req.reusedSocket));
      else reject(new Error(`${where}${answered ? ' mid-answer' : ''}`));
    });
    req.end();
  });
}
