import { errorMessage } from '../errors.ts';
import type { Observation, ProbePlan, Prober, Sample } from '../health/prober.ts';
import { onHost, type FleetHost } from './fleet-host.ts';

type ProberHost = Pick<FleetHost, 'name' | 'prober'>;
type HostObservation = { host: ProberHost; observation: Observation };

/**
 * Every host's prober seen as one. HTTP, TCP and container targets are probed on every host (a
 * release's 127.0.0.1:port is "on that host"), and each plan's observations merge into one: samples
 * of every host, so a release is healthy only when healthy everywhere and its latency percentiles
 * come from all hosts; each sample names its host, so a failure says where. Prometheus targets
 * are not per host: the first host's prober asks once.
 */
export class FleetProber implements Prober {
  readonly #hosts: readonly ProberHost[];

  constructor(hosts: readonly ProberHost[]) {
    this.#hosts = hosts;
  }

  async probeRound(plans: readonly ProbePlan[]): Promise<Observation[]> {
    const perHost = plans.map((plan) => (plan.kind === 'prometheus' ? this.#hosts.slice(0, 1) : this.#hosts));
    const rounds = await Promise.all(
      this.#hosts.map(async (host) => {
        const mine = plans.flatMap((_, i) => (perHost[i]!.includes(host) ? [i] : []));
        const asked = mine.map((i) => plans[i]!);
        const observations = await host.prober.probeRound(asked).catch((error: unknown) => asked.map((plan) => unreachable(plan, errorMessage(error))));
        return new Map(mine.map((planIndex, i) => [planIndex, observations[i]!]));
      }),
    );
    return plans.map((_, i) => merge(perHost[i]!.map((host) => ({ host, observation: rounds[this.#hosts.indexOf(host)]!.get(i)! }))));
  }
}

/** A prober that rejected (its connection lost) observed an error for each of its plans. */
function unreachable(plan: ProbePlan, message: string): Observation {
  if (plan.kind === 'http' || plan.kind === 'tcp') return { kind: plan.kind, samples: Array.from({ length: plan.samples }, () => ({ error: message })) };
  return { kind: plan.kind, error: message };
}

/** One observation of a plan from every host that ran it (Prometheus: the first host alone). */
function merge(each: readonly HostObservation[]): Observation {
  const first = each[0]!.observation;
  if (first.kind === 'http' || first.kind === 'tcp') {
    const samples = each.flatMap(({ host, observation }) => (observation as { samples: Sample[] }).samples.map((s) => named(host, s)));
    return { kind: first.kind, samples };
  }
  if (first.kind === 'container') return mergeContainer(each);
  return first;
}

/** The judge starts the reason a sample failed (an error, a status, a body) with the host's name. */
const named = (host: ProberHost, sample: Sample): Sample => ({ ...sample, host: host.name });

/**
 * The first host whose container is not fine decides, its words prefixed with its name (the judge's
 * message then says which host); when all are fine, the highest CPU and memory use of any host.
 */
function mergeContainer(each: readonly HostObservation[]): Observation {
  for (const { host, observation } of each) {
    if (observation.kind !== 'container') continue;
    const trouble = containerTrouble(observation);
    if (trouble !== undefined) return { kind: 'container', error: onHost(host, trouble) };
  }
  const observations = each.map((e) => e.observation as Extract<Observation, { kind: 'container' }>);
  const first = observations[0]!;
  const resourcesError = each.find((e) => (e.observation as typeof first).resourcesError !== undefined);
  const measured = observations.flatMap((o) => (o.resources ? [o.resources] : []));
  return {
    ...first,
    ...(measured.length > 0
      ? { resources: { cpuPercent: Math.max(...measured.map((r) => r.cpuPercent)), memoryPercent: Math.max(...measured.map((r) => r.memoryPercent)) } }
      : {}),
    ...(resourcesError ? { resourcesError: onHost(resourcesError.host, (resourcesError.observation as typeof first).resourcesError!) } : {}),
  };
}

function containerTrouble(observation: Extract<Observation, { kind: 'container' }>): string | undefined {
  const { state } = observation;
  if (!state) return observation.error ?? 'no state reported';
  if (state.status !== 'running') return `container is ${state.status}, needs running`;
  if (state.health !== undefined && state.health !== 'healthy')
    return `health ${state.health}, needs healthy${state.lastCheckOutput ? `; last check: ${state.lastCheckOutput}` : ''}`;
  return undefined;
}
