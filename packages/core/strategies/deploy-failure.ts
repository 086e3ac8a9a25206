import { ActionFailure } from '../errors.ts';
import type { RunningRelease } from '../deploy/target.ts';

/**
 * A deploy or rollback that did not happen, saying where traffic was left, so the door can still
 * write its outputs (active colour, release) and the summary.
 */
export class DeployFailure extends ActionFailure {
  override name = 'DeployFailure';
  readonly serving: RunningRelease | undefined;

  constructor(message: string, serving: RunningRelease | undefined) {
    super(message);
    this.serving = serving;
  }
}
