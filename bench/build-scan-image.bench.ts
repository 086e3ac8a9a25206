/**
 * build-scan-image benchmark, on the real engine, trivy and registry (scripts/services.sh start,
 * scripts/install-trivy.sh):
 *   node bench/build-scan-image.bench.ts [--runs 3] [--tags 500]
 * 1. Build + scan + push of the sample service image (examples/sample-service): cold (no build
 *    cache, empty trivy cache, a repository the registry has never seen) and warm (all three kept).
 * 2. Retention over a repository of 500 tags: listing (tags, manifests, configs), planning and
 *    deleting, with the HTTP requests each made.
 */
import { copyFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { quantile } from 'simple-statistics';
import { ImageBuilder } from '../packages/adapters/docker/image-build.ts';
import { runCommand } from '../packages/adapters/process/run-command.ts';
import { OciRegistry } from '../packages/adapters/registry/oci-registry.ts';
import { SHARED_REGISTRY } from '../packages/adapters/registry/testing/local-registry.ts';
import { pushTestImage } from '../packages/adapters/registry/testing/push-test-image.ts';
import { locateTrivy } from '../packages/adapters/scanner/trivy-install.ts';
import { TrivyScanner } from '../packages/adapters/scanner/trivy-scanner.ts';
import { compileProtectedTags, DEFAULT_PROTECTED_TAGS, ENVIRONMENT_LABEL, inUseFrom, OCI, planRetention } from '../packages/core/images/index.ts';

const { values: args } = parseArgs({ options: { runs: { type: 'string', default: '3' }, tags: { type: 'string', default: '500' } } });
const RUNS = Number(args.runs);
const TAGS = Number(args.tags);
const DOCKER_HOST = process.env.DOCKER_HOST ?? 'unix:///run/sidhe-docker.sock';
const root = path.resolve(import.meta.dirname, '..');
const round = (x: number) => Math.round(x * 10) / 10;
const stat = (xs: number[]) => ({ median: round(quantile(xs, 0.5)), min: round(Math.min(...xs)), max: round(Math.max(...xs)) });
const stamp = `${process.pid}-${Date.now() % 100_000}`;

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const value = await fn();
  return [value, performance.now() - started];
}

async function buildScanPush(): Promise<Record<string, unknown>> {
  const context = mkdtempSync(path.join(os.tmpdir(), 'sidhe-bench-context-'));
  cpSync(path.join(root, 'examples', 'sample-service'), context, { recursive: true });
  copyFileSync('/bin/busybox', path.join(context, 'busybox'));
  const builder = new ImageBuilder({ dockerHost: DOCKER_HOST });
  const trivy = await locateTrivy({ searchPath: `${path.join(root, '.tools', 'bin')}${path.delimiter}${process.env.PATH}` });
  const scanner = new TrivyScanner({ binary: trivy.path });
  const warmCache = mkdtempSync(path.join(os.tmpdir(), 'sidhe-bench-trivy-'));
  const phases = { cold: [] as Record<string, number>[], warm: [] as Record<string, number>[] };
  const made: string[] = [];
  for (const temperature of ['cold', 'warm'] as const) {
    for (let run = 0; run < RUNS; run += 1) {
      const cold = temperature === 'cold';
      // Cold: a repository the registry has never seen, so every layer is uploaded; warm: one it has.
      const tag = `${SHARED_REGISTRY}/sidhe-bench-${stamp}/${cold ? `cold-${run}` : 'warm'}/shop:${run}`;
      made.push(tag);
      const cacheDir = cold ? mkdtempSync(path.join(os.tmpdir(), 'sidhe-bench-trivy-')) : warmCache;
      const outputDir = mkdtempSync(path.join(os.tmpdir(), 'sidhe-bench-scan-'));
      const spec = {
        context,
        dockerfile: path.join(context, 'Dockerfile'),
        buildArgs: [{ key: 'VERSION', value: '1.0.0' }],
        labels: {},
        tags: [tag],
        noCache: cold,
      };
      const [, buildMs] = await timed(() => builder.build(spec));
      const [scan, scanMs] = await timed(() => scanner.scanImage({ image: tag, scanners: ['secret'], outputDir, dockerHost: DOCKER_HOST, cacheDir }));
      if (scan.report.findings.length > 0) throw new Error(`the sample image has findings: ${JSON.stringify(scan.report.findings)}`);
      const [, pushMs] = await timed(() => builder.push(tag));
      phases[temperature].push({ buildMs, scanMs, pushMs, totalMs: buildMs + scanMs + pushMs });
      if (cold) rmSync(cacheDir, { recursive: true, force: true });
      rmSync(outputDir, { recursive: true, force: true });
    }
  }
  await runCommand('docker', ['--host', DOCKER_HOST, 'rmi', '--force', ...made]);
  const summarise = (runs: Record<string, number>[]) =>
    Object.fromEntries(['buildMs', 'scanMs', 'pushMs', 'totalMs'].map((key) => [key, stat(runs.map((r) => r[key]!))]));
  return {
    image: 'examples/sample-service (FROM scratch + static busybox)',
    builder: await builder.builder(),
    trivy: trivy.path,
    runs: RUNS,
    cold: summarise(phases.cold),
    warm: summarise(phases.warm),
  };
}

async function retention(): Promise<Record<string, unknown>> {
  const repository = `sidhe-bench-${stamp}/retention`;
  const now = Date.now();
  const DAY = 86_400_000;
  // One staging image a day, newest first: keep 5 / 30 days keeps days 0–29 and deletes the rest.
  const [, seedMs] = await timed(async () => {
    for (let start = 0; start < TAGS; start += 16) {
      await Promise.all(
        Array.from({ length: Math.min(16, TAGS - start) }, (_, k) => {
          const i = start + k;
          const labels = { [ENVIRONMENT_LABEL]: 'staging', [OCI.created]: new Date(now - i * DAY).toISOString() };
          return pushTestImage(SHARED_REGISTRY, repository, [`build-${i}`], { seed: `${stamp}-${i}`, labels });
        }),
      );
    }
  });
  const policy = { environment: 'staging', keepLatest: 5, retentionDays: 30, protectedTags: compileProtectedTags(DEFAULT_PROTECTED_TAGS, (p) => new Error(p)) };
  const registry = new OciRegistry({ host: SHARED_REGISTRY });
  const [images, listMs] = await timed(() => registry.listImages(repository));
  const listRequests = registry.requests;
  const [plan, planMs] = await timed(async () => planRetention(images, policy, inUseFrom([], `${SHARED_REGISTRY}/${repository}`), new Date(now)));
  const [, deleteMs] = await timed(async () => {
    for (const image of plan.deletions) await registry.deleteImage(repository, image);
  });
  const left = await new OciRegistry({ host: SHARED_REGISTRY }).listTags(repository);
  return {
    tags: TAGS,
    seedMs: round(seedMs),
    listMs: round(listMs),
    listRequests,
    planMs: round(planMs),
    deleted: plan.deletions.length,
    deleteMs: round(deleteMs),
    deleteRequests: registry.requests - listRequests,
    totalMs: round(listMs + planMs + deleteMs),
    totalRequests: registry.requests,
    tagsLeft: left.length,
    concurrency: 8,
  };
}

const build = await buildScanPush();
const prune = await retention();
const result = {
  benchmark: 'build-scan-image',
  date: new Date().toISOString(),
  node: process.version,
  cpus: os.cpus().length,
  buildScanPush: build,
  retention: prune,
};
console.log(JSON.stringify(result, null, 2));
await writeFile(path.join(root, 'bench', 'results', 'build-scan-image.json'), `${JSON.stringify(result, null, 2)}\n`);
