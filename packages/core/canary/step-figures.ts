import type { VersionFigures } from './canary-judge.ts';
import { LatencyHistogram } from './latency-histogram.ts';
import type { LatencyWindow, VersionWindow } from './metrics-source.ts';

type Summary = Extract<LatencyWindow, { kind: 'summary' }>;

/** One version's running figures over the current step. */
export class StepFigures {
  requests = 0;
  errors = 0;
  private readonly histogram = new LatencyHistogram();
  /** The source's summary already covers its recent requests: the latest one stands for the step. */
  private summary: Summary | undefined;

  add(window: VersionWindow): void {
    this.requests += window.requests;
    this.errors += window.errors;
    if (window.latency.kind === 'samples') this.histogram.add(window.latency.ms);
    if (window.latency.kind === 'summary' && window.requests > 0) this.summary = window.latency;
  }

  figures(): VersionFigures {
    const figures: VersionFigures = { requests: this.requests, errors: this.errors };
    if (this.requests > 0) figures.errorRate = this.errors / this.requests;
    const [p50Ms, p95Ms, p99Ms] = this.histogram.quantilesMs([0.5, 0.95, 0.99]);
    const latency =
      this.histogram.count > 0
        ? { p50Ms, p95Ms, p99Ms, meanMs: this.histogram.meanMs() }
        : { p50Ms: this.summary?.p50Ms, p95Ms: this.summary?.p95Ms, p99Ms: this.summary?.p99Ms, meanMs: this.summary?.meanMs };
    for (const [key, value] of Object.entries(latency)) {
      if (value !== undefined) figures[key as keyof typeof latency] = value;
    }
    return figures;
  }
}
