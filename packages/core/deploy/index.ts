export type { Target, ReleaseSpec, ReleaseContainer, RunningRelease, ContainerStatus } from './target.ts';
export {
  COLOURS,
  LABEL_PREFIX,
  RELEASE_LABEL_KEYS,
  checkNamePart,
  containerName,
  decodeReleaseLabels,
  encodeReleaseLabels,
  isReleaseId,
  releaseId,
  type Colour,
  type LabelReading,
  type ReleaseLabels,
} from './release.ts';
export {
  DEFAULT_LOCK_POLL_MS,
  DEFAULT_LOCK_TTL_MS,
  createEnvironmentLock,
  decideLock,
  describeHolder,
  type AcquireOptions,
  type EnvironmentLock,
  type LockDecision,
  type LockHolder,
  type LockStore,
} from './environment-lock.ts';
