import type { Logger } from '../core/logger.ts';
import type { SummaryDoc } from './summary/summary-doc.ts';

/** Facts about where the action runs, read once from the environment. */
export interface RunContext {
  /** The repository checkout (GITHUB_WORKSPACE) or the current directory. */
  workspace: string;
  /** A directory for reports that later steps can read (RUNNER_TEMP) or the system's. */
  tempDir: string;
  /** The run's page on GitHub, when running there. */
  runUrl?: string;
  /** `owner/name` of the workflow's repository and the run's id (GITHUB_REPOSITORY, GITHUB_RUN_ID). */
  repository?: string;
  runId?: string;
  /** Commit and actor, recorded with a release (GITHUB_SHA, GITHUB_ACTOR). */
  commit?: string;
  actor?: string;
  /** The event that started the run and its ref (GITHUB_EVENT_NAME, GITHUB_REF): `push`, `refs/heads/main`. */
  event?: string;
  ref?: string;
  /** GitHub's REST API root on GitHub Enterprise (GITHUB_API_URL); else https://api.github.com is meant. */
  githubApiUrl?: string;
  /** Whether the runner takes a step summary (GITHUB_STEP_SUMMARY names its file). */
  stepSummary?: boolean;
  /** Who is acting, for lock holders and records: `acme/shop run 4211 attempt 1`, or user@host pid. */
  runner: string;
}

/** A message shown on a line of a file: a GitHub annotation, or `file:line: level: message` in a terminal. */
export interface Annotation {
  level: 'error' | 'warning' | 'notice';
  message: string;
  /** Relative to the workspace; an annotation without a file is shown on the run only. */
  file?: string;
  line?: number;
  title?: string;
}

/**
 * Everything an action does with the world that runs it. Two implementations: the GitHub runner's
 * protocol (github-io.ts) and a terminal (terminal-io.ts), so the CLI runs the very same action code.
 */
export interface ActionIO {
  /** The raw input as given, trimmed; '' when not given. */
  getInput(name: string): string;
  setOutput(name: string, value: string): void;
  /** Masks the value, in every form it could be printed in, in every sink from now on. */
  setSecret(value: string): void;
  /**
   * The value with every known secret masked, in a string or in every string of a JSON-like value: for
   * sinks outside this interface (events on the bus, GitHub Deployments statuses).
   */
  redact<T>(value: T): T;
  /** Writes a JSON report (`sidhe-<kind>-<time>.json` in the temp dir), secrets masked; returns its path. */
  writeReport(kind: string, value: unknown): Promise<string>;
  readonly log: Logger;
  writeSummary(doc: SummaryDoc): Promise<void>;
  annotate(annotation: Annotation): void;
  /** Marks the run failed with a message; called once, by run-action. */
  fail(message: string): void;
  readonly context: RunContext;
}
