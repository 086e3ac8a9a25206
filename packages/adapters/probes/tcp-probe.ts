import net from 'node:net';
import { performance } from 'node:perf_hooks';
import type { ProbePlan, Sample } from '../../core/health/index.ts';
import { describeError } from './describe-error.ts';

/** Opens a TCP connection and closes it at once: the latency is the connect time. */
export function probeTcp(plan: ProbePlan & { kind: 'tcp' }): Promise<Sample[]> {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = net.connect({ host: plan.host, port: plan.port });
    const finish = (sample: Sample) => {
      clearTimeout(timer);
      socket.destroy();
      resolve([sample]);
    };
    const timer = setTimeout(() => finish({ error: `connect timed out after ${Math.round(plan.timeoutMs)}ms` }), plan.timeoutMs);
    socket.once('connect', () => finish({ latencyMs: Math.round((performance.now() - started) * 1000) / 1000 }));
    socket.once('error', (error) => finish({ error: describeError(error) }));
  });
}
