import { invalidValue } from '../errors.ts';
import { absoluteGates } from './absolute-gates.ts';
import type { CanaryJudge, JudgeSettings, Look, LookAnalysis, Verdict, VersionFigures } from './canary-judge.ts';
import { ErrorCountTest } from './error-count-test.ts';
import type { Finding } from './finding.ts';
import { LatencySamplesTest } from './latency-samples-test.ts';
import { LatencySummaryThreshold } from './latency-summary-threshold.ts';
import { StepFigures } from './step-figures.ts';

const DEFAULT_PERSIST_LOOKS = 3;

type LatencySource = LookAnalysis['latencySource'];

interface Step {
  index: number;
  canaryWeight: number;
  /** What the canary is compared with in this step, for the reasons. */
  against: 'stable' | 'baseline';
  canary: StepFigures;
  stable: StepFigures;
}

/**
 * The canary judge: absolute gates on the canary's step figures, and comparisons with stable that
 * gather evidence from the first look to the last, across steps. The false-abort budget
 * (1 − confidence) is split evenly over the anytime tests (Bonferroni); a comparison fails the
 * canary only when it is significant and its difference reaches min-effect.
 */
export function createCanaryJudge(settings: JudgeSettings): CanaryJudge {
  checkSettings(settings);
  const needed = Math.max(1, settings.minRequests);
  const persistLooks = settings.persistLooks ?? DEFAULT_PERSIST_LOOKS;
  let step: Step | undefined;
  let comparisons: Comparisons | undefined;

  return {
    beginStep(index, canaryWeight, against = 'stable') {
      step = { index, canaryWeight, against, canary: new StepFigures(), stable: new StepFigures() };
    },

    look(look: Look): Verdict {
      if (step === undefined) throw new Error('canary judge: beginStep() must come before the first look()');
      // The split of the budget is fixed by the kind of source, at the first look with traffic: no test
      // has gathered evidence before it.
      if (comparisons === undefined && look.canary.requests + look.stable.requests > 0) {
        comparisons = createComparisons(settings, persistLooks, latencySourceOf(look));
      }
      step.canary.add(look.canary);
      step.stable.add(look.stable);
      comparisons?.observe(look);

      const canary = step.canary.figures();
      const stable = step.stable.figures();
      const findings = comparisons?.findings(canary, stable, step.against) ?? [];
      const canaryShort = shortfall('canary', canary, needed);
      // The gates judge the canary alone, and only once it has min-requests in the step.
      const { gates, failures: gateFailures } = canaryShort === undefined ? absoluteGates(canary, settings) : { gates: [], failures: [] };
      const { decision, reasons } = decide(
        canaryShort,
        shortfall(step.against, stable, needed),
        gateFailures,
        findings.flatMap(({ failure }) => failure ?? []),
      );
      const analysis: LookAnalysis = {
        atMs: look.atMs,
        step: step.index,
        canaryWeight: step.canaryWeight,
        canary,
        stable,
        latencySource: comparisons?.latencySource ?? 'none',
        gates,
        tests: findings.map(({ result }) => result),
        decision,
        reasons,
      };
      return { decision, reasons, analysis };
    },
  };
}

interface Comparisons {
  latencySource: LatencySource;
  observe(look: Look): void;
  findings(canary: VersionFigures, stable: VersionFigures, against: string): Finding[];
}

function createComparisons(settings: JudgeSettings, persistLooks: number, latencySource: LatencySource): Comparisons {
  const testCount = 1 + (latencySource === 'samples' ? LatencySamplesTest.testCount : 0);
  // Rounded so 1 − 0.99 reads 0.01 in the analysis, not 0.010000000000000009.
  const alpha = +((1 - settings.confidence) / testCount).toPrecision(12);
  const errors = new ErrorCountTest(alpha, settings.minEffect.errorRate);
  const samples = latencySource === 'samples' ? new LatencySamplesTest(alpha, settings.minEffect.latencyRatio) : undefined;
  const summaries = latencySource === 'summary' ? new LatencySummaryThreshold(settings.minEffect.latencyRatio, persistLooks) : undefined;
  return {
    latencySource,
    observe(look) {
      errors.observe(look);
      samples?.observe(look);
      summaries?.observe(look);
    },
    findings(canary, stable, against) {
      return [errors.finding(canary, stable, against), ...(samples?.findings(canary, stable, against) ?? []), ...(summaries?.findings(against) ?? [])];
    },
  };
}

/** What the source measures, read from a version that answered in the look. */
function latencySourceOf(look: Look): LatencySource {
  return (look.canary.requests > 0 ? look.canary : look.stable).latency.kind;
}

/** Too few canary requests hides everything; the gates need only the canary; comparisons need both versions. */
function decide(
  canaryShort: string | undefined,
  stableShort: string | undefined,
  gateFailures: string[],
  comparisonFailures: string[],
): Pick<Verdict, 'decision' | 'reasons'> {
  if (canaryShort !== undefined) return { decision: 'inconclusive', reasons: stableShort === undefined ? [canaryShort] : [canaryShort, stableShort] };
  const failures = stableShort === undefined ? [...gateFailures, ...comparisonFailures] : gateFailures;
  if (failures.length > 0) return { decision: 'fail', reasons: failures };
  if (stableShort !== undefined) return { decision: 'inconclusive', reasons: [stableShort] };
  return { decision: 'pass', reasons: [] };
}

function shortfall(version: string, figures: VersionFigures, needed: number): string | undefined {
  if (figures.requests >= needed) return undefined;
  if (figures.requests === 0) return `${version} answered no requests in this step yet; the judge needs ${needed} from each version`;
  return `${version} answered ${figures.requests} of the ${needed} requests the judge needs in this step`;
}

function checkSettings(settings: JudgeSettings): void {
  const fraction = (value: number) => Number.isFinite(value) && value >= 0 && value <= 1;
  if (!(fraction(settings.confidence) && settings.confidence > 0 && settings.confidence < 1)) {
    throw invalidValue('confidence', String(settings.confidence), 'a fraction strictly between 0 and 1 (0.99 for 99%)');
  }
  if (!fraction(settings.successThreshold)) {
    throw invalidValue('success-threshold', String(settings.successThreshold), 'a fraction from 0 to 1 (0.995 for 99.5%)');
  }
  if (!Number.isInteger(settings.minRequests) || settings.minRequests < 0) {
    throw invalidValue('min-requests', String(settings.minRequests), 'a whole number of requests, 0 or more');
  }
  if (settings.persistLooks !== undefined && (!Number.isInteger(settings.persistLooks) || settings.persistLooks < 1)) {
    throw invalidValue('persist-looks', String(settings.persistLooks), 'a whole number of looks, 1 or more');
  }
}
