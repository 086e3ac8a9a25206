import type { ContainerResources, ContainerState, Observation } from '../../core/health/index.ts';
import { errorMessage } from '../../core/errors.ts';
import { runCommand, type CommandResult } from '../process/run-command.ts';
import type { EngineApi } from './engine-api.ts';

export type ContainerObservation = Extract<Observation, { kind: 'container' }>;

export interface ContainerHealthOptions {
  /** Also read CPU and memory use from `docker stats` (about a second and a half: it samples twice). */
  resources?: boolean;
  timeoutMs: number;
  /** Where `docker` finds the engine (DOCKER_HOST, DOCKER_CONTEXT, ...); the process's by default. */
  env?: NodeJS.ProcessEnv;
  /** The engine's API, when it is a unix socket: the state is read there instead of by a `docker` process (stats stay on the CLI). */
  engine?: EngineApi;
}

/** The part of a container's `.State` that is read. */
interface InspectedState {
  Status: string;
  Health?: { Status: 'starting' | 'healthy' | 'unhealthy'; Log?: { ExitCode: number; Output: string }[] | null } | null;
}

/**
 * Reads a container's own view of its health from the Docker engine. A missing container or an
 * unreachable engine is an observation with the reason, never an exception.
 */
export async function inspectContainerHealth(name: string, options: ContainerHealthOptions): Promise<ContainerObservation> {
  const [state, stats] = await Promise.all([
    readState(name, options),
    options.resources ? docker(['stats', '--no-stream', '--format', '{{json .}}', name], options) : undefined,
  ]);
  if (typeof state === 'string') return { kind: 'container', error: state };
  const observation: ContainerObservation = { kind: 'container', state };
  if (stats) {
    const statsError = failure('stats', name, stats, options.timeoutMs);
    try {
      if (statsError) observation.resourcesError = statsError;
      else observation.resources = parseContainerStats(stats.stdout);
    } catch (error) {
      observation.resourcesError = errorMessage(error);
    }
  }
  return observation;
}

/** The container's state, or why it cannot be read. */
async function readState(name: string, options: ContainerHealthOptions): Promise<ContainerState | string> {
  if (options.engine) {
    try {
      const inspected = (await options.engine.inspectContainer(name, { timeoutMs: options.timeoutMs })) as { State: InspectedState } | undefined;
      // The engine's words for a missing container, quoted as the CLI quotes them, so both paths say the same.
      return inspected ? toContainerState(inspected.State) : `no container named "${name}" (Error response from daemon: No such container: ${name})`;
    } catch (error) {
      return errorMessage(error);
    }
  }
  const inspect = await docker(['inspect', '--type', 'container', '--format', '{{json .State}}', name], options);
  return failure('inspect', name, inspect, options.timeoutMs) ?? parseContainerState(inspect.stdout);
}

/** Reads `docker inspect --format '{{json .State}}'`. */
export function parseContainerState(json: string): ContainerState {
  return toContainerState(JSON.parse(json) as InspectedState);
}

/** A container's `.State`, as the CLI prints it and the Engine API answers it. */
function toContainerState(state: InspectedState): ContainerState {
  const result: ContainerState = { status: state.Status };
  if (!state.Health) return result;
  result.health = state.Health.Status;
  const last = state.Health.Log?.at(-1);
  if (last && last.ExitCode !== 0) result.lastCheckOutput = oneLine(last.Output) || `exit code ${last.ExitCode}`;
  return result;
}

/** Reads `docker stats --no-stream --format '{{json .}}'`: `"CPUPerc":"1.02%","MemPerc":"0.05%"`. */
export function parseContainerStats(json: string): ContainerResources {
  const stats = JSON.parse(json) as { CPUPerc?: string; MemPerc?: string };
  const percent = (text: string | undefined, what: string) => {
    const value = Number.parseFloat(text ?? '');
    if (!Number.isFinite(value)) throw new Error(`docker stats reported no ${what} figure (${JSON.stringify(text)})`);
    return value;
  };
  return { cpuPercent: percent(stats.CPUPerc, 'CPU'), memoryPercent: percent(stats.MemPerc, 'memory') };
}

function docker(args: string[], options: ContainerHealthOptions): Promise<CommandResult> {
  return runCommand('docker', args, { env: options.env ?? process.env, timeoutMs: options.timeoutMs }).catch((error: unknown): CommandResult => ({
    exitCode: 127,
    stdout: '',
    stderr: errorMessage(error),
    timedOut: false,
  }));
}

function failure(command: string, name: string, result: CommandResult, timeoutMs: number): string | undefined {
  if (result.timedOut) return `docker ${command} ${name} timed out after ${Math.round(timeoutMs)}ms`;
  if (result.exitCode === 0) return undefined;
  const reason = oneLine(result.stderr) || `exit code ${result.exitCode}`;
  if (/No such (container|object)/i.test(reason)) return `no container named "${name}" (${reason})`;
  return `docker ${command} ${name} failed: ${reason}`;
}

function oneLine(text: string): string {
  const line =
    text
      .trim()
      .split('\n')
      .find((l) => l.trim() !== '') ?? '';
  return line.length > 300 ? `${line.slice(0, 300)}…` : line.trim();
}
