/**
 * Docker reads benchmark: the reads a deploy repeats (DockerTarget.inspect, a health round's container
 * probe), by a `docker` process each and through the Engine API over the engine's unix socket.
 *   node bench/docker-reads.bench.ts [--reads 20] [--bed]
 * Needs `scripts/services.sh start`. With --bed, also through a host bed's engine (test/support/host-bed.ts)
 * reached over SSH by a forwarded socket, as a remote host's deploy reaches it (root; one bed at a time).
 * Each read is timed alone (`--reads` times, one after the other) and three at once (as three hosts'
 * reads overlap in a fleet deploy). The container is a created one of the lock's empty image: a read
 * costs the same whatever the container runs.
 */
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { quantile } from 'simple-statistics';
import { inspectContainerHealth } from '../packages/adapters/docker/container-health.ts';
import { DockerCli } from '../packages/adapters/docker/docker-cli.ts';
import { LOCK_IMAGE } from '../packages/adapters/docker/docker-lock.ts';
import { DockerTarget } from '../packages/adapters/docker/docker-target.ts';
import { engineApiFromEnv } from '../packages/adapters/docker/engine-api.ts';
import { startHostBed } from '../test/support/host-bed.ts';
import { DOCKER_HOST } from '../test/support/services.ts';

const { values: args } = parseArgs({ options: { reads: { type: 'string', default: '20' }, bed: { type: 'boolean', default: false } } });
const READS = Number(args.reads);
const NAME = `sidhe-bench-reads-${process.pid}`;

interface Figures {
  alone: { median: number; p95: number };
  threeAtOnce: { median: number; p95: number };
}

async function time(read: () => Promise<unknown>): Promise<Figures> {
  const measure = async (n: number) => {
    const ms: number[] = [];
    for (let i = 0; i < READS; i++) {
      const start = performance.now();
      await Promise.all(Array.from({ length: n }, read));
      ms.push(performance.now() - start);
    }
    return { median: round(quantile(ms, 0.5)), p95: round(quantile(ms, 0.95)) };
  };
  await read(); // the first read negotiates the API version and opens the connection
  return { alone: await measure(1), threeAtOnce: await measure(3) };
}

const round = (ms: number) => Math.round(ms * 10) / 10;

/** Creates the container on the engine, times both ways, removes it. */
async function bench(dockerHost: string): Promise<Record<string, Figures>> {
  const env = { ...process.env, DOCKER_HOST: dockerHost };
  const cli = new DockerCli({ env, engineApi: false });
  // The lock's image is made on first use by the lock; here by hand, the same way (an empty tar).
  const image = await cli.run(['image', 'inspect', LOCK_IMAGE]);
  if (image.exitCode !== 0) await cli.check('importing the lock image', ['import', '-', LOCK_IMAGE], { input: '\0'.repeat(1024) });
  await cli.check('creating the container', ['create', '--name', NAME, LOCK_IMAGE, 'none']);
  const engine = engineApiFromEnv(env)!;
  try {
    return {
      'DockerTarget.inspect, docker CLI': await time(() => new DockerTarget({ env, engineApi: false }).inspect(NAME)),
      'DockerTarget.inspect, Engine API': await time(() => sharedTarget(env).inspect(NAME)),
      'container probe, docker CLI': await time(() => inspectContainerHealth(NAME, { timeoutMs: 10_000, env })),
      'container probe, Engine API': await time(() => inspectContainerHealth(NAME, { timeoutMs: 10_000, env, engine })),
    };
  } finally {
    engine.close();
    await cli.run(['rm', '--force', NAME]);
  }
}

/** One target per engine, as a deploy holds one: its API connections and version are reused. */
const targets = new Map<string, DockerTarget>();
function sharedTarget(env: NodeJS.ProcessEnv): DockerTarget {
  const key = env.DOCKER_HOST!;
  if (!targets.has(key)) targets.set(key, new DockerTarget({ env }));
  return targets.get(key)!;
}

const results: Record<string, Record<string, Figures>> = { local: await bench(DOCKER_HOST) };
if (args.bed) {
  const bed = await startHostBed({ hosts: 1, router: 'none' });
  try {
    const connection = await bed.connect(0);
    try {
      results['host bed over SSH'] = await bench(`unix://${await connection.forwardUnixSocket('/var/run/docker.sock')}`);
    } finally {
      await connection.close();
    }
  } finally {
    await bed.close();
  }
}

for (const [where, reads] of Object.entries(results)) {
  console.log(`\n${where} (ms, ${READS} reads each)`);
  console.table(
    Object.fromEntries(
      Object.entries(reads).map(([what, f]) => [
        what,
        { 'alone median': f.alone.median, 'alone p95': f.alone.p95, '3 at once median': f.threeAtOnce.median, '3 at once p95': f.threeAtOnce.p95 },
      ]),
    ),
  );
}
await writeFile(
  new URL('results/docker-reads.json', import.meta.url),
  `${JSON.stringify({ date: new Date().toISOString(), cpus: os.cpus().length, load: os.loadavg(), reads: READS, results }, null, 2)}\n`,
);
