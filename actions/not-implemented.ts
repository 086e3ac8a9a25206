import { ActionFailure } from '../packages/core/errors.ts';
import type { ActionMain } from '../packages/runtime/run-action.ts';

/** The entry of an action whose logic has not landed yet: it fails loudly and changes nothing. */
export function notImplemented(name: string): ActionMain {
  return async () => {
    throw new ActionFailure(`${name} is not implemented yet in this version of sidhe/devops; nothing was changed.`);
  };
}
