import { ConfigurationError } from '../packages/core/errors.ts';
import { githubIO } from '../packages/runtime/github-io.ts';
import { runAction } from '../packages/runtime/run-action.ts';
import { COMMAND_NAMES, findCommand, type RegisteredAction } from './registry.ts';

export function resolveCommand(command: string): RegisteredAction {
  const action = findCommand(command);
  if (!action) {
    const given = command === '' ? 'no command was given' : `${JSON.stringify(command)} is not one of them`;
    throw new ConfigurationError(`input command must name one of: ${COMMAND_NAMES.join(', ')}; ${given}`);
  }
  return action;
}

/**
 * What a bundle stub calls on the runner: `dist/<name>/index.js` passes its name; the root action
 * passes none and the `command` input chooses.
 */
export async function main(name?: string): Promise<void> {
  const io = githubIO();
  const command = name ?? io.getInput('command');
  const found = findCommand(command);
  await runAction(found ? command : 'sidhe-devops', async (runIo) => resolveCommand(command).main(runIo), io, found?.definition);
}
