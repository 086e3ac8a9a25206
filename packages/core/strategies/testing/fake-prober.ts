import type { ContainerState, Observation, ProbePlan, Prober } from '../../health/prober.ts';
import type { FakeClock } from './fake-clock.ts';

/** Whether an address answers healthily in its nth round (1-based) since its script was set. */
export type HealthScript = (round: number) => boolean;

export const alwaysHealthy: HealthScript = () => true;
export const neverHealthy: HealthScript = () => false;
/** Healthy until round n, unhealthy from it on. */
export const unhealthyFrom =
  (n: number): HealthScript =>
  (round) =>
    round < n;

/**
 * A FAKE prober. HTTP targets answer by address (`127.0.0.1:8002`) from a script of the round, healthy
 * when unscripted; container targets report what `containerState` says. Each round takes roundMs.
 */
export class FakeProber implements Prober {
  readonly roundMs = 20;
  #clock: FakeClock;
  #containerState: (name: string) => ContainerState;
  #scripts = new Map<string, { script: HealthScript; rounds: number }>();

  constructor(clock: FakeClock, containerState: (name: string) => ContainerState) {
    this.#clock = clock;
    this.#containerState = containerState;
  }

  /** Scripts an address and counts its rounds from 1 again. */
  answer(address: string, script: HealthScript): void {
    this.#scripts.set(address, { script, rounds: 0 });
  }

  /** HTTP rounds the address was probed in since its script was set. */
  roundsAt(address: string): number {
    return this.#scripts.get(address)?.rounds ?? 0;
  }

  async probeRound(plans: readonly ProbePlan[]): Promise<Observation[]> {
    this.#clock.advance(this.roundMs);
    return plans.map((plan): Observation => {
      if (plan.kind === 'container') return { kind: 'container', state: this.#containerState(plan.name) };
      if (plan.kind !== 'http') throw new Error(`fake prober: no ${plan.kind} targets`);
      const address = new URL(plan.url).host;
      const entry = this.#scripts.get(address) ?? { script: alwaysHealthy, rounds: 0 };
      this.#scripts.set(address, entry);
      entry.rounds += 1;
      const sample = entry.script(entry.rounds) ? { status: 200, latencyMs: 5 } : { status: 503, latencyMs: 2 };
      return { kind: 'http', samples: Array.from({ length: plan.samples }, () => ({ ...sample })) };
    });
  }
}
