import type { EnvironmentLock } from './environment-lock.ts';
import type { ReleaseLabels } from './release.ts';

/**
 * The Target: a host that runs releases (a Docker engine today; Kubernetes could be another). The
 * strategies speak only this interface; packages/adapters/docker implements it. Containers are
 * addressed by the names containerName() gives, and found again by their labels.
 */
export interface Target {
  /** e.g. `Docker engine at ssh://deploy@web1`, for messages. */
  describe(): string;
  /**
   * Makes the image available on the host: pulls it, or keeps the copy the host has when the pull
   * fails (with a warning). An image that is neither pullable nor present is an ActionFailure naming
   * it with the host's words.
   */
  pull(image: string): Promise<void>;
  /** `sha256:…` of an image on the host: its registry digest when known, else its local id. */
  imageDigest(image: string): Promise<string>;
  /**
   * Runs the release in `containerName(app, environment, colour)`, listening on 127.0.0.1:port (env
   * PORT). Fails when that name is taken (the caller removes the old container when it chooses), and
   * when the container exits at start, quoting its last log lines; such a container is left for the
   * caller to inspect and remove.
   */
  start(spec: ReleaseSpec): Promise<RunningRelease>;
  /** Stops with SIGTERM, then SIGKILL after graceMs. A container that is gone already is not an error. */
  stop(name: string, options: { graceMs: number }): Promise<void>;
  /** Removes the container, killing it if it runs. A container that is gone already is not an error. */
  remove(name: string): Promise<void>;
  /** Undefined when no container has that name. */
  inspect(name: string): Promise<ReleaseContainer | undefined>;
  /** Every container of the app's environment (or of all its environments), trusted or not, oldest deploy first. */
  list(selector: { app: string; environment?: string }): Promise<ReleaseContainer[]>;
  /**
   * The service's environment a container was started with (what `env`/`env-file` gave; the image's
   * own defaults and PORT left out), so a release put back runs as it ran. Values are secrets.
   */
  env(name: string): Promise<Record<string, string>>;
  /** The container's last output lines (stdout and stderr), for messages. */
  logs(name: string, options: { tail: number }): Promise<string>;
  /** The lock that keeps deploys and rollbacks of one app's environment from interleaving. */
  lock(app: string, environment: string): EnvironmentLock;
}

export interface ReleaseSpec {
  /** What to run and record: the image is `labels.image`, the port `labels.port`. */
  labels: ReleaseLabels;
  /** The service's environment. Values are secrets: never logged, never on a command line. */
  env?: Readonly<Record<string, string>>;
}

export interface ContainerStatus {
  /** The host's word: `created`, `running`, `restarting`, `exited`, `paused`, `dead`, ... */
  state: string;
  running: boolean;
  /** Of the last run; 0 while it runs. */
  exitCode: number;
  /** `none` when the image declares no health check. */
  health: 'none' | 'starting' | 'healthy' | 'unhealthy';
  /** The output of the last health check when it failed, for messages. */
  healthLog?: string;
  /** ISO time of the last start; undefined when it never started. */
  startedAt?: string;
}

interface ContainerBase {
  name: string;
  id: string;
  status: ContainerStatus;
}

/** A container of the suite. Its labels are trusted only when they all decode. */
export type ReleaseContainer = (ContainerBase & { trusted: true; labels: ReleaseLabels }) | (ContainerBase & { trusted: false; problem: string });

export type RunningRelease = Extract<ReleaseContainer, { trusted: true }>;
