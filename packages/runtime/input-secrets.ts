import type { ActionDefinition } from './action-definition.ts';
import type { ActionIO } from './action-io.ts';
import { urlCredentials } from '../core/url-credentials.ts';

/**
 * Masks what the inputs hold that must never be printed, before the action reads any of them: so even
 * the error that refuses an input cannot show its secret. Inputs marked `secret`, each value of `env`
 * lines, and the credentials of every URL in any input.
 */
export function maskInputSecrets(io: ActionIO, definition: ActionDefinition): void {
  for (const [name, spec] of Object.entries(definition.inputs)) {
    const value = io.getInput(name);
    if (value === '') continue;
    if (spec.secret === 'value') io.setSecret(value);
    if (spec.secret === 'env-lines') {
      for (const line of value.split(/\r?\n/)) {
        const equals = line.indexOf('=');
        if (equals > 0 && equals < line.length - 1) io.setSecret(line.slice(equals + 1));
      }
    }
    for (const credential of urlCredentials(value)) io.setSecret(credential);
  }
}
