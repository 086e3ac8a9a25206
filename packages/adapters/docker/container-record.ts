import { decodeReleaseLabels } from '../../core/deploy/release.ts';
import type { ContainerStatus, ReleaseContainer } from '../../core/deploy/target.ts';

/** The part of `docker inspect --type container` we read. */
interface InspectedContainer {
  Id: string;
  Name: string;
  State: {
    Status: string;
    Running: boolean;
    ExitCode: number;
    StartedAt: string;
    Health?: { Status: 'starting' | 'healthy' | 'unhealthy'; Log?: { ExitCode: number; Output: string }[] | null } | null;
  };
  Config: { Labels: Record<string, string> | null };
}

/** Reads the JSON array `docker inspect --type container` prints. */
export function parseContainers(json: string): ReleaseContainer[] {
  return (JSON.parse(json) as unknown[]).map(toReleaseContainer);
}

/** One element of that array, which is also the Engine API's answer to GET /containers/{name}/json. */
export function toReleaseContainer(inspected: unknown): ReleaseContainer {
  const container = inspected as InspectedContainer;
  const base = { name: container.Name.replace(/^\//, ''), id: container.Id, status: toStatus(container.State) };
  const reading = decodeReleaseLabels(container.Config.Labels ?? {});
  return reading.ok ? { ...base, trusted: true, labels: reading.labels } : { ...base, trusted: false, problem: reading.problem };
}

function toStatus(state: InspectedContainer['State']): ContainerStatus {
  const status: ContainerStatus = {
    state: state.Status,
    running: state.Running,
    exitCode: state.ExitCode,
    health: state.Health?.Status ?? 'none',
  };
  const lastCheck = state.Health?.Log?.at(-1);
  if (lastCheck && lastCheck.ExitCode !== 0) status.healthLog = lastCheck.Output.trim().slice(0, 500) || `exit code ${lastCheck.ExitCode}`;
  // Docker's zero time (0001-01-01T00:00:00Z) means "never started".
  if (!state.StartedAt.startsWith('0001-')) status.startedAt = state.StartedAt;
  return status;
}

/**
 * The digest to record for `reference`, from `docker image inspect`'s RepoDigests and Id: the one the
 * reference pins, else the registry digest of the reference's repository, else (an image built on the
 * host, or pulled from another repository) the local image id.
 */
export function pickImageDigest(reference: string, repoDigests: readonly string[], id: string): string {
  const pinned = /@(sha256:[0-9a-f]{64})$/.exec(reference);
  if (pinned) return pinned[1]!;
  const repository = familiar(repositoryOf(reference));
  const match = repoDigests.find((entry) => familiar(entry.slice(0, entry.lastIndexOf('@'))) === repository);
  return match ? match.slice(match.lastIndexOf('@') + 1) : id;
}

/** `ghcr.io/acme/shop:1.4` → `ghcr.io/acme/shop`; a `:` before the last `/` is a registry port. */
function repositoryOf(reference: string): string {
  const name = reference.split('@')[0]!;
  const colon = name.lastIndexOf(':');
  return colon > name.lastIndexOf('/') ? name.slice(0, colon) : name;
}

/** Docker Hub names as docker prints them: `docker.io/library/nginx` → `nginx`. */
function familiar(repository: string): string {
  return repository.replace(/^(?:index\.)?docker\.io\//, '').replace(/^library\//, '');
}

/**
 * The service's own environment from a container's `Config.Env`: the lines the image does not set to
 * the same value, less PORT (the suite sets it for each colour).
 */
export function serviceEnv(containerEnv: readonly string[] | null, imageEnv: readonly string[] | null): Record<string, string> {
  const fromImage = new Set(imageEnv ?? []);
  const env: Record<string, string> = {};
  for (const line of containerEnv ?? []) {
    const equals = line.indexOf('=');
    if (equals <= 0 || fromImage.has(line)) continue;
    const name = line.slice(0, equals);
    if (name !== 'PORT') env[name] = line.slice(equals + 1);
  }
  return env;
}
