import { ActionFailure, ActionSkipped, ConfigurationError, errorMessage } from '../core/errors.ts';
import type { ActionDefinition } from './action-definition.ts';
import type { ActionIO } from './action-io.ts';
import { maskInputSecrets } from './input-secrets.ts';

export type ActionMain = (io: ActionIO) => Promise<void>;

/**
 * The one place an action's failure is reported. A ConfigurationError is the user's to fix, an
 * ActionFailure is the verdict (unhealthy, refused): both are reported as they are. Anything else
 * is our bug, reported with its stack in the debug log. Failures name the action. An ActionSkipped
 * ends the run early as a success, with a notice saying why. With the action's
 * definition, its inputs' secrets are masked before it starts.
 */
export async function runAction(name: string, main: ActionMain, io: ActionIO, definition?: ActionDefinition): Promise<void> {
  try {
    if (definition) maskInputSecrets(io, definition);
    await main(io);
  } catch (error) {
    if (error instanceof ActionSkipped) {
      io.annotate({ level: 'notice', title: `${name} skipped`, message: error.message });
      return;
    }
    if (error instanceof ConfigurationError || error instanceof ActionFailure) {
      io.fail(`${name} failed: ${error.message}`);
      return;
    }
    if (error instanceof Error && error.stack) io.log.debug(error.stack);
    io.fail(`${name} failed unexpectedly: ${errorMessage(error)} (this is a bug in sidhe/devops; the debug log has the stack)`);
  }
}
