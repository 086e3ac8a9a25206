/** Where core code reports progress. The runtime maps it to the runner's log or a terminal. */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warning(message: string): void;
  error(message: string): void;
}

/** For tests and for callers that want the core quiet. */
export const silentLogger: Logger = { debug() {}, info() {}, warning() {}, error() {} };
