import { errorMessage } from '../errors.ts';
import type { EventType } from '../events/devops-event.ts';
import type { DeployPorts } from './deploy-ports.ts';

/** Reports a strategy's failure as an event, then lets it go on to the door unchanged. */
export async function reportFailure<T>(ports: Pick<DeployPorts, 'report'>, type: EventType, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    await ports.report?.(type, { message: errorMessage(error) });
    throw error;
  }
}
