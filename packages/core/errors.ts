import { excerpt } from './message-bounds.ts';

/**
 * Errors the suite distinguishes when it reports a failure.
 *
 * - ConfigurationError: the user gave something we cannot use (an input, a config key). Reported as
 *   the user's to fix, without a stack trace.
 * - ActionFailure: the action ran correctly and the verdict is "no" (unhealthy, gate failed,
 *   deploy refused). Reported as the outcome, without a stack trace.
 * - ActionSkipped: the configuration or the event says this run has nothing to do (automation off, a
 *   branch that does not deploy). Reported as a notice; the run succeeds having changed nothing.
 * Anything else is a bug in the suite and is reported with its stack in the debug log.
 */
export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
}

export class ActionFailure extends Error {
  override name = 'ActionFailure';
}

export class ActionSkipped extends Error {
  override name = 'ActionSkipped';
}

/**
 * Builds the message every bad-input error shares: what, the value given (an excerpt: it may come
 * from a file that is not what it claims to be), what is allowed.
 */
export function invalidValue(what: string, value: string, allowed: string): ConfigurationError {
  return new ConfigurationError(`${what}: ${excerpt(value)} is not valid; ${allowed}`);
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
