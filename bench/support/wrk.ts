import { spawn } from 'node:child_process';

/**
 * Debian's wrk as a second opinion on a load client of our own: `wrk -t2 -c8 -d<max>s --latency`,
 * stopped early with SIGINT (wrk then prints its figures as at the end of its run). wrk never
 * resends, so every connection a server closes under it shows in its socket errors.
 */
export interface WrkResult {
  requests: number;
  seconds: number;
  requestsPerSecond: number;
  socketErrors: { connect: number; read: number; write: number; timeout: number };
  non2xx3xx: number;
  latencyMs: Record<'p50' | 'p75' | 'p90' | 'p99', number>;
  output: string;
}

export interface RunningWrk {
  stop(): Promise<WrkResult>;
}

export function startWrk(
  url: string,
  { maxSeconds, threads = 2, connections = 8 }: { maxSeconds: number; threads?: number; connections?: number },
): RunningWrk {
  const child = spawn('wrk', [`-t${threads}`, `-c${connections}`, `-d${maxSeconds}s`, '--latency', url], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const closed = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  return {
    async stop() {
      if (child.exitCode === null) child.kill('SIGINT');
      const code = await closed;
      if (code !== 0) throw new Error(`wrk exited with ${code}:\n${output}`);
      return parseWrk(output);
    },
  };
}

export function parseWrk(output: string): WrkResult {
  const number = (pattern: RegExp): number => Number(pattern.exec(output)?.[1] ?? 0);
  const done = /(\d+) requests in ([\d.]+)(ms|s|m)\b/.exec(output);
  if (!done) throw new Error(`wrk printed no totals:\n${output}`);
  const latency = (percent: number): number => {
    const m = new RegExp(`^\\s+${percent}%\\s+([\\d.]+)(us|ms|s)$`, 'm').exec(output);
    if (!m) return NaN;
    return Number(m[1]) * ({ us: 0.001, ms: 1, s: 1000 } as Record<string, number>)[m[2]!]!;
  };
  return {
    requests: Number(done[1]),
    seconds: Number(done[2]) * ({ ms: 0.001, s: 1, m: 60 } as Record<string, number>)[done[3]!]!,
    requestsPerSecond: number(/Requests\/sec:\s+([\d.]+)/),
    socketErrors: {
      connect: number(/Socket errors: connect (\d+)/),
      read: number(/Socket errors:.* read (\d+)/),
      write: number(/Socket errors:.* write (\d+)/),
      timeout: number(/Socket errors:.* timeout (\d+)/),
    },
    non2xx3xx: number(/Non-2xx or 3xx responses: (\d+)/),
    latencyMs: { p50: latency(50), p75: latency(75), p90: latency(90), p99: latency(99) },
    output,
  };
}
