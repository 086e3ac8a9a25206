import type { GateResult, TestResult, VersionFigures } from '../../packages/core/canary/canary-judge.ts';
import { formatMs, formatPercent } from '../../packages/core/health/percentiles.ts';
import { formatDuration } from '../../packages/core/inputs/index.ts';
import type { RunningRelease } from '../../packages/core/deploy/target.ts';
import type { CanaryResult, CanaryStep } from '../../packages/core/strategies/canary-ports.ts';
import type { SummaryBlock, SummaryDoc } from '../../packages/runtime/summary/summary-doc.ts';

const dash = '–';
/** Points of the weight chart: enough for a staircase, few enough to read. */
const CHART_POINTS = 30;

export function canaryVerdict(result: CanaryResult): string {
  const took = formatDuration(result.durationMs);
  if (result.unchanged) return `✅ ${result.canary?.labels.image ?? 'the image'} already serves all traffic: nothing to do`;
  if (result.outcome === 'promoted') return `✅ promoted in ${took}: the canary takes all traffic; stable is kept in the idle colour for an instant rollback`;
  if (result.outcome === 'paused') return `⏸️ paused at ${result.canaryWeight}% after ${took}: ${result.reasons.join('; ')}`;
  return `❌ aborted after ${took}, all traffic back on stable: ${result.reasons.join('; ')}`;
}

/** The job summary: the verdict, the two releases, weight over time, and per step canary vs stable with the judge's words. */
export function canarySummary(result: CanaryResult): SummaryDoc {
  const releases = [
    ...(result.canary ? [release('canary', result.canary, result.canaryWeight)] : []),
    ...(result.stable ? [release('stable', result.stable, 100 - result.canaryWeight)] : []),
    ...(result.baseline ? [release('baseline (removed)', result.baseline, 0)] : []),
  ];
  const against = result.baseline
    ? [
        {
          kind: 'paragraph' as const,
          text: `The canary was compared with a baseline: a fresh container of the stable release at the same weight (steps up to 50%; above, with stable itself).`,
        },
      ]
    : [];
  return [
    { kind: 'heading', text: 'Canary deploy', level: 2 },
    { kind: 'paragraph', text: canaryVerdict(result) },
    ...(releases.length ? [{ kind: 'table' as const, header: ['role', 'release', 'colour', 'image', 'traffic now'], rows: releases }] : []),
    ...against,
    ...weightChart(result),
    ...result.steps.flatMap(stepBlocks),
  ];
}

function release(role: string, r: RunningRelease, weight: number): string[] {
  return [role, r.labels.release, r.labels.colour, r.labels.image, `${weight}%`];
}

/** The canary's weight sampled evenly over the run, so the chart's spacing is time. */
function weightChart(result: CanaryResult): SummaryBlock[] {
  const changes = result.weights;
  if (changes.length < 2 && result.steps.length === 0) return [];
  const start = changes[0]!.atMs;
  const end = Math.max(start + 1, ...result.steps.map((s) => s.endedAtMs), changes.at(-1)!.atMs);
  const at = (t: number): number => changes.filter((c) => c.atMs <= t).at(-1)?.weight ?? 0;
  const times = Array.from({ length: CHART_POINTS + 1 }, (_, i) => start + ((end - start) * i) / CHART_POINTS);
  return [
    {
      kind: 'chart',
      title: 'Canary share of traffic',
      xLabel: 's since the first step',
      yLabel: '%',
      // Tenths of a second when the run was short, so no two points read the same.
      x: times.map((t) => String(+((t - start) / 1000).toFixed(end - start < 30_000 ? 1 : 0))),
      series: [{ name: 'canary %', values: times.map(at) }],
    },
  ];
}

function stepBlocks(step: CanaryStep): SummaryBlock[] {
  const decision = { pass: '✅ passed', fail: '❌ failed', inconclusive: '⚠️ no verdict', pending: '⚠️ no look' }[step.decision];
  const took = formatDuration(step.endedAtMs - step.startedAtMs);
  const blocks: SummaryBlock[] = [
    { kind: 'heading', text: `Step ${step.index + 1}: ${step.weight}% to the canary — ${decision}`, level: 3 },
    {
      kind: 'paragraph',
      text: `${step.looks} look${step.looks === 1 ? '' : 's'} over ${took}, canary compared with ${step.comparedWith}.${step.reasons.length ? ` ${step.reasons.join('; ')}` : ''}${loadInWords(step)}`,
    },
  ];
  const last = step.last;
  if (last) {
    blocks.push({
      kind: 'table',
      header: ['version', 'requests', 'errors', 'error rate', 'p50', 'p95', 'p99'],
      rows: [figures('canary', last.canary), figures(step.comparedWith, last.stable)],
    });
    const words = [...last.gates.map(gateInWords), ...last.tests.map((test) => inWords(test, step.comparedWith))];
    if (words.length) blocks.push({ kind: 'list', items: words });
  }
  return blocks;
}

function figures(version: string, f: VersionFigures): string[] {
  const ms = (v: number | undefined): string => (v === undefined ? dash : formatMs(v));
  return [
    version,
    String(f.requests),
    String(f.errors),
    f.errorRate === undefined ? dash : formatPercent(f.errorRate * 100),
    ms(f.p50Ms),
    ms(f.p95Ms),
    ms(f.p99Ms),
  ];
}

/** One comparison for a person: what was compared, how sure, and whether it matters. */
function inWords(test: TestResult, comparedWith: string): string {
  const effect = test.effect === undefined ? 'no difference measured' : `canary − ${comparedWith} ${signed(test.effect, test.metric)}`;
  if (test.kind === 'threshold') {
    return `${test.metric} (${test.method}): ${effect} — ${test.significant ? 'beyond min-effect for long enough: aborts' : 'within min-effect, or not for long enough to abort'}`;
  }
  const verdict = test.significant
    ? 'worse beyond doubt and beyond min-effect: aborts'
    : test.pValue <= test.alpha
      ? 'a real difference, but below min-effect'
      : 'no evidence the canary is worse';
  return `${test.metric} (${test.method}): ${effect}, p = ${test.pValue.toPrecision(2)} against ${test.alpha.toPrecision(2)} — ${verdict}`;
}

function loadInWords(step: CanaryStep): string {
  const load = step.load;
  if (!load) return '';
  const skipped = load.skipped ? `, ${load.skipped} not sent (too many in flight)` : '';
  return ` The action sent ${load.sent} requests of its own: ${load.answered} answered, ${load.failed} failed${skipped}.`;
}

function gateInWords(gate: GateResult): string {
  const [observed, limit] =
    gate.gate === 'success rate'
      ? [gate.observed === undefined ? 'not measured' : formatPercent(gate.observed * 100), `at least ${formatPercent(gate.limit * 100)}`]
      : [gate.observed === undefined ? 'not measured' : formatMs(gate.observed), `at most ${formatMs(gate.limit)}`];
  return `canary ${gate.gate} ${observed}, ${limit} allowed — ${gate.passed ? 'passes' : 'fails: aborts'}`;
}

function signed(value: number, metric: string): string {
  const text = metric.startsWith('error') ? `${+(value * 100).toFixed(2)} points` : `${+(value * 100).toFixed(1)}%`;
  return value >= 0 ? `+${text}` : text;
}
