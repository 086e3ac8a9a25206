import { decodeReleaseLabels, RELEASE_LABEL_KEYS } from '../../core/deploy/release.ts';
import type { ContainerSnapshot, ContainerUsage } from '../../core/monitor/infrastructure-status.ts';
import { ActionFailure } from '../../core/errors.ts';
import { dockerWords, isNoSuchContainer, type DockerCli } from './docker-cli.ts';

/** The part of `docker container inspect` the monitor reads. */
interface InspectedManaged {
  Id: string;
  Name: string;
  RestartCount: number;
  State: {
    Status: string;
    ExitCode: number;
    StartedAt: string;
    Health?: { Status: 'starting' | 'healthy' | 'unhealthy'; Log?: { ExitCode: number; Output: string }[] | null } | null;
  };
  Config: { Image: string; Labels: Record<string, string> | null };
}

/**
 * Every container carrying the suite's release labels, in three reads whatever their number: the list
 * of ids and states, then an inspect of all of them beside one `docker stats --no-stream` of those
 * that run. The list and inspect go to the Engine API when the engine is a unix socket.
 */
export async function listManagedContainers(cli: DockerCli, selector: { app?: string; environment?: string } = {}): Promise<ContainerSnapshot[]> {
  const labels = [
    selector.app ? `${RELEASE_LABEL_KEYS.app}=${selector.app}` : RELEASE_LABEL_KEYS.app,
    ...(selector.environment ? [`${RELEASE_LABEL_KEYS.environment}=${selector.environment}`] : []),
  ];
  const listed = await listIdsAndStates(cli, labels);
  if (listed.length === 0) return [];
  // The list already says which run, so stats need not wait for inspect: the two go side by side.
  const running = listed.filter(([, state]) => state === 'running').map(([id]) => id);
  const [containers, firstUsage] = await Promise.all([
    inspectManaged(
      cli,
      listed.map(([id]) => id),
    ),
    running.length > 0 ? readStats(cli, running) : Promise.resolve(new Map<string, ContainerUsage>()),
  ]);
  // A container that stops during the sampling (a crash loop) makes docker fail the whole call: ask
  // again for those that run and never restarted; a crash loop is an alert of its own anyway.
  const steady = containers.filter((c) => c.state === 'running' && c.restarts === 0).map((c) => c.id);
  const usage = firstUsage ?? (steady.length > 0 ? await readStats(cli, steady) : new Map<string, ContainerUsage>());
  if (!usage)
    throw new ActionFailure(`reading container stats failed on the ${cli.describe()} twice, the second time for ${steady.length} steady container(s)`);
  return containers
    .map((c) => (usage.has(c.id) ? { ...c, usage: usage.get(c.id)! } : c))
    .sort((a, b) => (a.app ?? '~').localeCompare(b.app ?? '~') || (a.environment ?? '').localeCompare(b.environment ?? '') || a.name.localeCompare(b.name));
}

async function listIdsAndStates(cli: DockerCli, labels: readonly string[]): Promise<[id: string, state: string][]> {
  if (cli.api) return (await cli.api.listContainers(labels)).map((c) => [c.Id, c.State]);
  const out = await cli.check('listing the containers the suite manages', [
    'ps',
    '--all',
    '--no-trunc',
    '--format',
    '{{.ID}}\t{{.State}}',
    ...labels.flatMap((label) => ['--filter', `label=${label}`]),
  ]);
  return out
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => line.split('\t') as [string, string]);
}

/** The containers by id; those removed since the list are left out. */
async function inspectManaged(cli: DockerCli, ids: readonly string[]): Promise<ContainerSnapshot[]> {
  if (cli.api) return (await cli.api.inspectContainers(ids)).map(toManagedSnapshot);
  const inspected = await cli.run(['container', 'inspect', ...ids]);
  const onlyMissing = inspected.stderr.split('\n').every((line) => line.trim() === '' || isNoSuchContainer(line));
  if (inspected.exitCode !== 0 && !onlyMissing) {
    throw new ActionFailure(`inspecting the managed containers failed on the ${cli.describe()}: ${dockerWords(inspected.stderr)}`);
  }
  return inspected.stdout.trim().startsWith('[') ? parseManagedContainers(inspected.stdout) : [];
}

/** One `docker stats --no-stream` for every id; undefined when docker fails it. */
async function readStats(cli: DockerCli, ids: string[]): Promise<Map<string, ContainerUsage> | undefined> {
  const result = await cli.run(['stats', '--no-stream', '--no-trunc', '--format', '{{json .}}', ...ids]);
  return result.exitCode === 0 ? parseStatsLines(result.stdout, ids) : undefined;
}

/** Reads `docker container inspect` JSON of managed containers. */
export function parseManagedContainers(json: string): ContainerSnapshot[] {
  return (JSON.parse(json) as unknown[]).map(toManagedSnapshot);
}

/** One element of that array, which is also the Engine API's answer to GET /containers/{name}/json. */
export function toManagedSnapshot(inspected: unknown): ContainerSnapshot {
  const c = inspected as InspectedManaged;
  const reading = decodeReleaseLabels(c.Config.Labels ?? {});
  const labels = c.Config.Labels ?? {};
  const health = c.State.Health;
  const lastCheck = health?.Log?.at(-1);
  const snapshot: ContainerSnapshot = {
    name: c.Name.replace(/^\//, ''),
    id: c.Id,
    image: reading.ok ? reading.labels.image : (labels[RELEASE_LABEL_KEYS.image] ?? c.Config.Image),
    state: c.State.Status,
    health: health?.Status ?? 'none',
    restarts: c.RestartCount,
    exitCode: c.State.ExitCode,
  };
  if (reading.ok) {
    const { app, environment, colour, release } = reading.labels;
    Object.assign(snapshot, { app, environment, colour, release });
  } else {
    snapshot.problem = reading.problem;
  }
  if (!c.State.StartedAt.startsWith('0001-')) snapshot.startedAt = c.State.StartedAt;
  if (lastCheck && lastCheck.ExitCode !== 0) snapshot.healthLog = lastCheck.Output.trim().slice(0, 500) || `exit code ${lastCheck.ExitCode}`;
  return snapshot;
}

/**
 * Reads `docker stats --no-stream --format '{{json .}}'` lines, keyed by the full ids asked for
 * (`Container` is the reference given, `ID` may be shortened).
 */
export function parseStatsLines(text: string, ids: readonly string[]): Map<string, ContainerUsage> {
  const usage = new Map<string, ContainerUsage>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const stats = JSON.parse(line) as { Container?: string; ID?: string; CPUPerc?: string; MemUsage?: string; MemPerc?: string };
    const id = ids.find((full) => full === stats.Container || (stats.ID && full.startsWith(stats.ID)));
    if (!id) continue;
    const [used = '', limit = ''] = (stats.MemUsage ?? '').split('/').map((part) => part.trim());
    usage.set(id, {
      cpuPercent: Number.parseFloat(stats.CPUPerc ?? '') || 0,
      memoryBytes: parseByteSize(used),
      memoryLimitBytes: parseByteSize(limit),
      memoryPercent: Number.parseFloat(stats.MemPerc ?? '') || 0,
    });
  }
  return usage;
}

const UNIT_BYTES: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
};

/** `12.5MiB`, `1.944GiB`, `512kB`, `0B` → bytes; 0 for what is not a size (docker prints `--` for a stopped one). */
export function parseByteSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([kmgt]i?b|b)$/i.exec(text.trim());
  return match ? Math.round(Number(match[1]) * UNIT_BYTES[match[2]!.toLowerCase()]!) : 0;
}
