/**
 * A network error as one line. Node reports a refused connection to a name with several addresses
 * (localhost: ::1 and 127.0.0.1) as an AggregateError with an empty message; spell out each attempt.
 */
export function describeError(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) {
    return error.errors.map(describeError).join('; ');
  }
  if (error instanceof Error) return error.message || (error as NodeJS.ErrnoException).code || error.name;
  return String(error);
}
