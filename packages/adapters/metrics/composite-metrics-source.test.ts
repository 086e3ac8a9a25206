import { describe, expect, it } from 'vitest';
import type { MetricsReading, MetricsSource } from '../../core/canary/metrics-source.ts';
import { CompositeMetricsSource } from './composite-metrics-source.ts';

/** A source answering the given readings (or errors) in turn. */
function scripted(name: string, answers: (MetricsReading | Error)[]): MetricsSource {
  return {
    describe: () => name,
    read: async () => {
      const next = answers.shift()!;
      if (next instanceof Error) throw next;
      return next;
    },
  };
}

const counters = (atMs: number, requests: number, errors: number, meanMs: number): MetricsReading => ({
  atMs,
  slots: { blue: { requests, errors, latency: { kind: 'summary', meanMs } } },
});
const log = (atMs: number, requests: number, ms: number[]): MetricsReading => ({
  atMs,
  slots: { blue: { requests, errors: 0, latency: { kind: 'samples', ms } }, green: { requests: 1, errors: 1, latency: { kind: 'samples', ms: [] } } },
});

describe('CompositeMetricsSource', () => {
  it('takes counts from the first source and latency samples from the one that has them', async () => {
    const source = new CompositeMetricsSource([scripted('HAProxy', [counters(10, 100, 2, 30)]), scripted('log', [log(11, 99, [20, 40])])]);
    expect(source.describe()).toBe('HAProxy + log');
    expect(await source.read()).toEqual({
      atMs: 11,
      slots: {
        blue: { requests: 100, errors: 2, latency: { kind: 'samples', ms: [20, 40] } },
        green: { requests: 1, errors: 1, latency: { kind: 'samples', ms: [] } },
      },
    });
  });

  it('fails a read when one source fails, and adds what the others read to their next window', async () => {
    const source = new CompositeMetricsSource([
      scripted('HAProxy', [counters(10, 100, 2, 30), counters(20, 50, 1, 35)]),
      scripted('log', [new Error('log unreadable'), log(21, 50, [25])]),
    ]);
    await expect(source.read()).rejects.toThrow('log unreadable');
    expect((await source.read()).slots.blue).toEqual({ requests: 150, errors: 3, latency: { kind: 'samples', ms: [25] } });
  });
});
