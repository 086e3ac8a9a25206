import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startPacedLoad, type PacedLoad } from '../../bench/support/paced-load.ts';
import { runBundle, type BundleOptions, type BundleRun } from '../harness/run-bundle.ts';
import { blueGreenBed, buildImages, docker, otherColour, removeImages, type BlueGreenBed, type Variant } from '../support/blue-green-fixture.ts';
import { freePort } from '../support/local-servers.ts';
import { DOCKER_HOST } from '../support/services.ts';

// deploy-canary through its committed bundle on the real engine, behind HAProxy (its counters) and
// nginx (its access log), under steady load through the front: short steps keep the file near 3 minutes.
const RELEASE = 'r\\d{14}-[0-9a-f]{12}';
let images: Record<Variant, string>;

beforeAll(async () => {
  images = await buildImages(`sidhe-itg-canary-${process.pid}`, ['v1', 'v2', 'failing']);
});
afterAll(() => removeImages(images));

/**
 * Short steps: 3 s looked at every second, 20 requests per version before a verdict. Latency must
 * triple to abort: on this shared 2-core machine busybox's latency is noise, errors are the signal.
 */
const QUICK = {
  'increment-interval': '3s',
  'look-interval': '1s',
  'min-requests': '20',
  'health-timeout': '30s',
  'min-effect': 'error-rate=0.5%, latency=200%',
};

function canary(bed: BlueGreenBed, inputs: Record<string, string>, options: BundleOptions = {}): Promise<BundleRun> {
  const metrics: Record<string, string> = bed.accessLog ? { metrics: `access-log:${bed.accessLog}` } : {};
  return runBundle('deploy-canary', { ...bed.inputs, ...metrics, ...QUICK, ...inputs }, { ...options, env: { DOCKER_HOST } });
}

async function containers(bed: BlueGreenBed): Promise<string[]> {
  const listed = await docker('ps', '--format', '{{.Names}} {{.Image}}', '--filter', `name=sidhe-${bed.app}.${bed.environment}-`);
  return listed.stdout.split('\n').filter(Boolean).sort();
}

describe.each(['haproxy', 'nginx'] as const)('deploy-canary behind %s under load', (router) => {
  // Behind nginx only what differs there (its access log as the metrics): promote and abort.
  const onHaproxy = it.runIf(router === 'haproxy');
  let bed: BlueGreenBed;
  let load: PacedLoad;
  beforeAll(async () => {
    bed = await blueGreenBed(router, `can${router.slice(0, 2)}${process.pid}`, { accessLog: router === 'nginx', baseline: true });
    const first = await bed.deploy(images.v1, { 'switch-delay': '0s' });
    expect(first.exitCode, first.stdout).toBe(0);
    load = startPacedLoad(`${bed.frontUrl}/`, { rate: 80, connections: 4, maxSeconds: 600 });
  });
  afterAll(async () => {
    await load.stop();
    await bed.cleanup();
  });
  // Every test runs under the steady load: none may drop a request through the front, but those the
  // failing canary answered. Each test starts from the release it needs (bed.serve deploys only when
  // the bed is not there already), so none depends on what another left.
  let loadFrom = 0;
  beforeEach(() => {
    loadFrom = performance.now();
  });
  afterEach(() => {
    const seen = load.peek();
    const failures = seen.failures.filter((f) => f.at >= loadFrom);
    expect(seen.answers.filter((a) => a.at >= loadFrom).length).toBeGreaterThan(0);
    expect(failures.filter((f) => f.kind === 'connection')).toEqual([]);
    expect(failures.filter((f) => !f.detail.includes('failing'))).toEqual([]);
  });

  it('promotes a healthy canary step by step; no request fails on the way', async () => {
    const stable = await bed.serve(images.v1);
    const run = await canary(bed, { image: images.v2, steps: '50,100' });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs).toMatchObject({ outcome: 'promoted', 'canary-weight': '100' });
    expect(run.outputs.release).toMatch(new RegExp(`^${RELEASE}$`));
    expect(await bed.version()).toBe('2.0.0');
    const analysis = JSON.parse(readFileSync(run.outputs['analysis-path']!, 'utf8'));
    expect(analysis.outcome).toBe('promoted');
    expect(analysis.analyses.length).toBeGreaterThanOrEqual(4);
    expect(analysis.analyses[0].canary.requests).toBeGreaterThan(0);
    expect(run.summary).toContain('## Canary deploy');
    expect(run.summary).toContain('xychart-beta');
    expect(run.summary).toMatch(/### Step 1: 50% to the canary — ✅ passed/);
    // Both releases run: stable stays in the idle colour for an instant rollback.
    expect(await bed.running()).toEqual(
      new Map([
        [stable, images.v1],
        [otherColour(stable), images.v2],
      ]),
    );
  });

  it('aborts a canary that fails requests within seconds: all traffic back on stable, the canary removed, the idle release back', async () => {
    await bed.serve(images.v2, { idle: images.v1 });
    const before = await containers(bed);
    const run = await canary(bed, { image: images.failing, steps: '50,100', 'increment-interval': '30s' });
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toMatch(/^deploy-canary failed: the canary was aborted after \S+, all traffic back on stable: .*success rate/);
    expect(run.outputs).toMatchObject({ outcome: 'aborted', 'canary-weight': '0' });
    // The goal: traffic wholly on stable within 15 s of the canary's first request.
    const { weights } = JSON.parse(readFileSync(run.outputs['analysis-path']!, 'utf8')) as { weights: { atMs: number; weight: number }[] };
    expect(weights.map((w) => w.weight)).toEqual([50, 0]);
    expect(weights[1]!.atMs - weights[0]!.atMs).toBeLessThan(15_000);
    expect(await bed.version()).toBe('2.0.0');
    expect(await containers(bed)).toEqual(before);
    expect(run.summary).toMatch(/### Step 1: 50% to the canary — ❌ failed/);
  });

  onHaproxy('pauses without auto-promote, then promotes from what the deploy recorded', async () => {
    await bed.serve(images.v2);
    const paused = await canary(bed, { image: images.v1, steps: '30,100', 'auto-promote': 'false' });
    expect(paused.exitCode, paused.stdout).toBe(0);
    expect(paused.outputs).toMatchObject({ outcome: 'paused', 'canary-weight': '30' });
    const promoted = await runBundle(
      'deploy-canary',
      { app: bed.app, environment: 'itg', router, 'router-endpoint': bed.inputs['router-endpoint']!, action: 'promote' },
      { env: { DOCKER_HOST } },
    );
    expect(promoted.exitCode, promoted.stdout).toBe(0);
    expect(promoted.outputs).toMatchObject({ outcome: 'promoted', 'canary-weight': '100', release: paused.outputs.release });
    expect(await bed.version()).toBe('1.0.0');
  });

  onHaproxy('pauses, then aborts on request', async () => {
    await bed.serve(images.v1);
    const paused = await canary(bed, { image: images.v2, steps: '30', 'auto-promote': 'false' });
    expect(paused.outputs.outcome, paused.stdout).toBe('paused');
    const aborted = await runBundle(
      'deploy-canary',
      { app: bed.app, environment: 'itg', router, 'router-endpoint': bed.inputs['router-endpoint']!, action: 'abort', reason: 'itg' },
      { env: { DOCKER_HOST } },
    );
    expect(aborted.exitCode, aborted.stdout).toBe(0);
    expect(aborted.outputs).toMatchObject({ outcome: 'aborted', 'canary-weight': '0' });
    expect(await bed.version()).toBe('1.0.0');
    expect((await containers(bed)).filter((c) => c.includes(images.v2))).toEqual([]);
  });

  onHaproxy('a run killed mid-step leaves traffic on running releases, and the next run converges', async () => {
    await bed.serve(images.v1);
    const killed = await canary(bed, { image: images.v2, steps: '50,100' }, { killWhenStdout: /canary at 50%/ });
    expect(killed.exitCode).not.toBe(0);
    expect(['1.0.0', '2.0.0']).toContain(await bed.version());
    const again = await canary(bed, { image: images.v2, steps: '50,100' });
    expect(again.exitCode, again.stdout).toBe(0);
    expect(again.stdout).toMatch(/a canary was left at 50%/);
    expect(again.outputs.outcome).toBe('promoted');
    expect(await bed.version()).toBe('2.0.0');
  });

  onHaproxy('refuses bad inputs before anything changes', async () => {
    await bed.serve(images.v2);
    const before = await containers(bed);
    for (const [inputs, message] of [
      [{ steps: '10,5,100' }, 'steps: "10,5,100" is not valid; 5 does not go above 10'],
      [{ steps: '10,50,150' }, 'steps: "10,50,150" is not valid; "150" is not a whole percentage from 1 to 100'],
      [{ confidence: '150%' }, 'confidence: "150%" is not valid; use a percentage above 50% and up to 99.99%'],
      [{ baseline: 'maybe' }, 'baseline: "maybe" is not valid'],
      [
        { baseline: 'true', steps: '60,100' },
        'baseline: "true" is not valid; a baseline takes the canary\'s share only at steps up to 50%, and steps 60,100 have none',
      ],
      [{ 'baseline-port': '9999' }, 'baseline-port: "9999" is not valid; it is used only with baseline: true'],
      [{ load: '20/s /healthz' }, 'load: "20/s /healthz" is not valid; give the router\'s front as a full URL, not only a path'],
      [{ load: '5000/s http://127.0.0.1:1/' }, 'load: "5000/s http://127.0.0.1:1/" is not valid; the rate is 5000/s'],
    ] as const) {
      const run = await canary(bed, { image: images.v1, ...inputs });
      expect(run.exitCode).toBe(1);
      expect(run.errors[0]).toContain(`deploy-canary failed: ${message}`);
      expect(run.stdout).not.toContain('waiting for');
    }
    expect(await containers(bed)).toEqual(before);
    expect(await bed.version()).toBe('2.0.0');
  });

  onHaproxy('rollback needs neither ports nor health path: it switches to the release kept in the idle colour', async () => {
    await bed.serve(images.v2, { idle: images.v1 });
    const back = await runBundle(
      'rollback',
      { app: bed.app, environment: 'itg', router, 'router-endpoint': bed.inputs['router-endpoint']! },
      { env: { DOCKER_HOST } },
    );
    expect(back.exitCode, back.stdout).toBe(0);
    // A switch when the kept release answers its probe; on a loaded machine its own health check may
    // lag and it is restarted instead, on the port it recorded (never a default one).
    expect(back.stdout).toMatch(/rollback (switched|restarted)/);
    expect(await bed.version()).toBe('1.0.0');
  });

  it('compares a canary with a baseline of stable at its weight, promotes it, and removes the baseline', async () => {
    const next = (await bed.version()) === '1.0.0' ? images.v2 : images.v1;
    const run = await canary(bed, { image: next, steps: '30,100', baseline: 'true', 'baseline-port': String(await freePort()) });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs.outcome).toBe('promoted');
    expect(run.stdout).toMatch(/step 1 of 2: 30% to the canary \(\w+\), 30% to the baseline, 40% to stable \(\w+\); compared with baseline/);
    const analysis = JSON.parse(readFileSync(run.outputs['analysis-path']!, 'utf8'));
    expect(analysis.comparedWith).toBe('baseline');
    expect(analysis.baseline).toMatchObject({ role: 'baseline', release: run.outputs['previous-release'] });
    expect(analysis.steps.map((step: { comparedWith: string }) => step.comparedWith)).toEqual(['baseline', 'stable']);
    // The baseline answered its share: the judge saw its requests.
    expect(analysis.analyses[0].stable.requests).toBeGreaterThan(0);
    expect(run.summary).toContain('canary compared with baseline');
    expect((await containers(bed)).filter((c) => c.includes('-baseline'))).toEqual([]);
  });

  it('aborts a failing canary compared with a baseline: the baseline goes with it', async () => {
    const stable = await bed.version();
    const run = await canary(bed, {
      image: images.failing,
      steps: '30,100',
      'increment-interval': '30s',
      baseline: 'true',
      'baseline-port': String(await freePort()),
    });
    expect(run.exitCode).toBe(1);
    expect(run.outputs.outcome).toBe('aborted');
    const analysis = JSON.parse(readFileSync(run.outputs['analysis-path']!, 'utf8'));
    expect(analysis.comparedWith).toBe('baseline');
    expect(analysis.steps[0]).toMatchObject({ comparedWith: 'baseline', decision: 'fail' });
    expect(await bed.version()).toBe(stable);
    expect((await containers(bed)).filter((c) => c.includes('-baseline') || c.includes(images.failing))).toEqual([]);
  });
});

describe('deploy-canary with its own load, on a service nothing else calls (HAProxy)', () => {
  let bed: BlueGreenBed;
  beforeAll(async () => {
    bed = await blueGreenBed('haproxy', `canld${process.pid}`);
    const first = await bed.deploy(images.v1, { 'switch-delay': '0s' });
    expect(first.exitCode, first.stdout).toBe(0);
  });
  afterAll(() => bed.cleanup());

  it('has no verdict without load, and promotes with it', async () => {
    const quiet = await canary(bed, { image: images.v2, steps: '50,100' });
    expect(quiet.exitCode).toBe(1);
    expect(quiet.outputs.outcome).toBe('aborted');
    expect(quiet.errors[0]).toMatch(/had no verdict after 3s/);
    expect(await bed.version()).toBe('1.0.0');

    const loaded = await canary(bed, { image: images.v2, steps: '50,100', load: `40/s ${bed.frontUrl}/` });
    expect(loaded.exitCode, loaded.stdout).toBe(0);
    expect(loaded.outputs.outcome).toBe('promoted');
    expect(loaded.stdout).toContain(`sending the action's own requests: 40/s GET ${bed.frontUrl}/`);
    const analysis = JSON.parse(readFileSync(loaded.outputs['analysis-path']!, 'utf8'));
    expect(analysis.steps[0].load.answered).toBeGreaterThan(60);
    expect(analysis.steps[0].load.failed).toBe(0);
    expect(loaded.summary).toMatch(/The action sent \d+ requests of its own/);
    expect(await bed.version()).toBe('2.0.0');
  });
});
