import { describe, expect, it } from 'vitest';
import { ActionSkipped } from '../core/errors.ts';
import type { ActionIO, Annotation } from './action-io.ts';
import { runAction } from './run-action.ts';

/** Only what runAction uses of an ActionIO: annotations and the failure. */
function recordingIO() {
  const annotations: Annotation[] = [];
  const failures: string[] = [];
  const io = { annotate: (a: Annotation) => annotations.push(a), fail: (m: string) => failures.push(m) } as unknown as ActionIO;
  return { io, annotations, failures };
}

describe('runAction', () => {
  it('ends a skipped run as a success with a notice saying why', async () => {
    const { io, annotations, failures } = recordingIO();
    await runAction(
      'deploy',
      async () => {
        throw new ActionSkipped('devops_automator.enabled is false in .sidhe/devops.yaml: nothing was done');
      },
      io,
    );
    expect(failures).toEqual([]);
    expect(annotations).toEqual([
      { level: 'notice', title: 'deploy skipped', message: 'devops_automator.enabled is false in .sidhe/devops.yaml: nothing was done' },
    ]);
  });
});
