import { ActionFailure } from '../errors.ts';
import type { RunningRelease } from '../deploy/target.ts';
import type { ContainerEvidence } from '../monitor/container-evidence.ts';

/**
 * A deploy or rollback that did not happen, saying where traffic was left, so the door can still
 * write its outputs (active colour, release) and the summary.
 */
export class DeployFailure extends ActionFailure {
  override name = 'DeployFailure';
  readonly serving: RunningRelease | undefined;
  /** The failed release's container as it was before it was removed: what explains the failure. */
  readonly evidence: ContainerEvidence | undefined;

  constructor(message: string, serving: RunningRelease | undefined, evidence?: ContainerEvidence) {
    super(message);
    this.serving = serving;
    this.evidence = evidence;
  }
}
