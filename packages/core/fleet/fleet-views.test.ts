import { describe, expect, it } from 'vitest';
import { ActionFailure, ConfigurationError } from '../errors.ts';
import { DEFAULT_CRITERIA } from '../health/criteria.ts';
import { evaluateTarget } from '../health/evaluate-target.ts';
import type { Observation, ProbePlan, Prober } from '../health/prober.ts';
import { BLUE, DIGEST, GREEN, IMAGE } from '../strategies/testing/shop-fixture.ts';
import { bootWaves, parseBootLimit } from './fleet-host.ts';
import { fleetPorts } from './fleet-ports.ts';
import { FleetProber } from './fleet-prober.ts';
import { fakeFleet } from './testing/fake-fleet.ts';

const http: ProbePlan = {
  kind: 'http',
  id: 'http://127.0.0.1:8002/health',
  url: 'http://127.0.0.1:8002/health',
  samples: 2,
  timeoutMs: 1_000,
  budgetMs: 5_000,
};
const container: ProbePlan = { kind: 'container', id: `container://${GREEN}`, name: GREEN, samples: 1, timeoutMs: 1_000, budgetMs: 5_000 };
const prometheus: ProbePlan = {
  kind: 'prometheus',
  id: 'prometheus',
  url: 'http://127.0.0.1:19090',
  query: 'up',
  comparison: { op: '>', threshold: 0 },
  samples: 1,
  timeoutMs: 1_000,
  budgetMs: 5_000,
};

/** A FAKE prober that answers every plan from `answer` and keeps what it was asked. */
function scriptedProber(answer: (plan: ProbePlan) => Observation): Prober & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    async probeRound(plans) {
      asked.push(...plans.map((plan) => plan.id));
      return plans.map(answer);
    },
  };
}

const ok = (plan: ProbePlan): Observation =>
  plan.kind === 'http'
    ? { kind: 'http', samples: Array.from({ length: plan.samples }, () => ({ status: 200, latencyMs: 4 })) }
    : plan.kind === 'container'
      ? { kind: 'container', state: { status: 'running' }, resources: { cpuPercent: 10, memoryPercent: 20 } }
      : { kind: 'prometheus', series: [{ labels: {}, value: '1' }] };

describe('fleetPorts', () => {
  it('gives one host its own objects back', () => {
    const fleet = fakeFleet(['web1']);
    const [host] = fleet.hosts;
    const ports = fleetPorts(fleet.hosts, { logger: fleet.logger });
    expect(ports.target).toBe(host!.target);
    expect(ports.router).toBe(host!.router);
    expect(ports.prober).toBe(host!.prober);
  });

  it('refuses no host and a host listed twice', () => {
    const fleet = fakeFleet(['web1']);
    expect(() => fleetPorts([], { logger: fleet.logger })).toThrow(ConfigurationError);
    expect(() => fleetPorts([fleet.hosts[0]!, fleet.hosts[0]!], { logger: fleet.logger })).toThrow('hosts: "web1" is not valid; list each host once');
  });

  it('needs a way to prove a wave healthy when the boot limit makes waves', () => {
    const fleet = fakeFleet(['web1', 'web2']);
    expect(() => fleetPorts(fleet.hosts, { logger: fleet.logger, bootLimit: 1 })).toThrow(/needs proveWave/);
    expect(() => fleetPorts(fleet.hosts, { logger: fleet.logger, bootLimit: 2 })).not.toThrow();
  });
});

describe('boot limit', () => {
  it('reads a count or a percent and makes waves, the first host first', () => {
    expect(parseBootLimit('boot-limit', '1')).toBe(1);
    expect(parseBootLimit('boot-limit', ' 25% ')).toEqual({ percent: 25 });
    const hosts = ['a', 'b', 'c', 'd', 'e'];
    expect(bootWaves(hosts, { percent: 25 })).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    expect(bootWaves(hosts, 1)).toEqual([['a'], ['b'], ['c'], ['d'], ['e']]);
    expect(bootWaves(hosts, 9)).toEqual([hosts]);
    expect(bootWaves(hosts, undefined)).toEqual([hosts]);
  });

  it('refuses zero, a negative count and words, naming the input', () => {
    for (const raw of ['0', '-1', '0%', 'half', '1.5', '120%']) expect(() => parseBootLimit('boot-limit', raw)).toThrow(/^boot-limit: /);
  });
});

describe('FleetProber', () => {
  it('pools every host’s samples, naming the host a failed one came from', async () => {
    const web1 = scriptedProber(ok);
    const web2: Prober = { probeRound: async () => Promise.reject(new Error('ssh connection lost')) };
    const [observation] = await new FleetProber([
      { name: 'web1', prober: web1 },
      { name: 'web2', prober: web2 },
    ]).probeRound([http]);

    expect(observation).toEqual({
      kind: 'http',
      samples: [
        { status: 200, latencyMs: 4, host: 'web1' },
        { status: 200, latencyMs: 4, host: 'web1' },
        { error: 'ssh connection lost', host: 'web2' },
        { error: 'ssh connection lost', host: 'web2' },
      ],
    });
    const round = evaluateTarget({ kind: 'http', id: http.id, url: http.url }, observation!, DEFAULT_CRITERIA);
    expect(round.healthy).toBe(false);
    expect(round.failures[0]!.message).toContain('last: web2: ssh connection lost');
  });

  it('a container not running on one host is the fleet’s verdict, naming the host; else the highest use of any host', async () => {
    const web1 = scriptedProber(ok);
    const web2 = scriptedProber((plan) => (plan.kind === 'container' ? { kind: 'container', state: { status: 'exited' } } : ok(plan)));
    const busy = scriptedProber((plan) =>
      plan.kind === 'container' ? { kind: 'container', state: { status: 'running' }, resources: { cpuPercent: 80, memoryPercent: 5 } } : ok(plan),
    );

    const [down] = await new FleetProber([
      { name: 'web1', prober: web1 },
      { name: 'web2', prober: web2 },
    ]).probeRound([container]);
    expect(down).toEqual({ kind: 'container', error: 'web2: container is exited, needs running' });

    const [fine] = await new FleetProber([
      { name: 'web1', prober: web1 },
      { name: 'web3', prober: busy },
    ]).probeRound([container]);
    expect(fine).toEqual({ kind: 'container', state: { status: 'running' }, resources: { cpuPercent: 80, memoryPercent: 20 } });
  });

  it('asks Prometheus once, through the first host, and keeps the plans’ order', async () => {
    const web1 = scriptedProber(ok);
    const web2 = scriptedProber(ok);
    const observations = await new FleetProber([
      { name: 'web1', prober: web1 },
      { name: 'web2', prober: web2 },
    ]).probeRound([prometheus, http, container]);

    expect(observations.map((o) => o.kind)).toEqual(['prometheus', 'http', 'container']);
    expect(web1.asked).toEqual(['prometheus', http.id, container.id]);
    expect(web2.asked).toEqual([http.id, container.id]);
  });
});

describe('FleetTarget', () => {
  it('names every host in describe(), takes the first host’s lock and says which host a pull failed on', async () => {
    const fleet = fakeFleet(['web1', 'web2', 'web3']);
    fleet.hosts[1]!.target.images.delete(IMAGE.v2);
    const { target } = fleet.ports;

    expect(target.describe()).toBe('Docker engines on web1, web2, web3');
    expect(target.lock('shop', 'production')).toBe(fleet.hosts[0]!.lock);
    await expect(target.pull(IMAGE.v2)).rejects.toThrow(/^web2: image ghcr\.io\/acme\/shop:2\.0\.0 cannot be pulled/);
  });

  it('keeps the kind of a host’s error: a verdict stays a verdict, a bug stays a bug', async () => {
    const fleet = fakeFleet(['web1', 'web2']);
    fleet.hosts[1]!.target.images.delete(IMAGE.v2);
    await expect(fleet.ports.target.pull(IMAGE.v2)).rejects.toBeInstanceOf(ActionFailure);

    const bug = new TypeError('cannot read properties of undefined');
    fleet.hosts[0]!.target.remove = async () => Promise.reject(bug);
    const error = (await fleet.ports.target.remove(BLUE).catch((e: unknown) => e)) as Error;
    expect(error).not.toBeInstanceOf(ActionFailure);
    expect(error.message).toBe('web1: cannot read properties of undefined');
    expect(error.cause).toBe(bug);
  });

  it('refuses an image whose digest differs between hosts', async () => {
    const fleet = fakeFleet(['web1', 'web2']);
    fleet.hosts[1]!.target.images.set(IMAGE.v2, { digest: DIGEST.v3 });
    const error = await fleet.ports.target.imageDigest(IMAGE.v2).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ActionFailure);
    expect((error as Error).message).toBe(
      `image ${IMAGE.v2} is not the same on every host (web1 ${DIGEST.v2}, web2 ${DIGEST.v3}): the hosts would run different code; push the image to the registry so every host pulls the same one`,
    );
  });

  it('lists a release as running only when every host runs it, and shows the stopped host’s container as evidence', async () => {
    const fleet = fakeFleet(['web1', 'web2']);
    const labels = {
      app: 'shop',
      environment: 'production',
      colour: 'blue' as const,
      release: 'r1',
      image: IMAGE.v1,
      imageDigest: DIGEST.v1,
      deployedAt: '2025-03-01T12:00:00.000Z',
      port: 8001,
    };
    for (const host of fleet.hosts) await host.target.start({ labels });
    await fleet.hosts[1]!.target.stop(BLUE);
    const { target } = fleet.ports;

    const [listed] = await target.list({ app: 'shop', environment: 'production' });
    expect(listed).toMatchObject({ name: BLUE, trusted: true, status: { state: 'exited', running: false } });
    expect(await target.inspect(BLUE)).toMatchObject({ status: { state: 'exited', exitCode: 143 } });
    expect(await target.inspect(GREEN)).toBeUndefined();
  });
});

describe('FleetRouter', () => {
  it('says when a host it switched cannot be put back (it routed nothing before)', async () => {
    const fleet = fakeFleet(['web1', 'web2']);
    fleet.hosts[1]!.router.refuse('no such backend');
    const error = await fleet.ports.router.apply({ slots: { blue: { address: '127.0.0.1:8001', weight: 100 } } }).then(
      () => new Error('applied'),
      (e: unknown) => e as Error,
    );

    expect(error.message).toMatch(
      /^web2: fake HAProxy backend shop-production refused: no such backend; web1 could not be put back; traffic now: web1: blue 100% \(127\.0\.0\.1:8001\), green 0% \(\); web2: blue 0% \(\), green 0% \(\) — no slot is taking traffic$/,
    );
    expect(fleet.logger.lines).toContainEqual(expect.stringMatching(/^error web1: cannot be put back: before the switch it routed .* which no plan can say$/));
  });
});
