export { parseBuildArgs, parseLabels, type KeyValue } from './build-inputs.ts';
export { ignoreHolds, type IgnoreRule } from './ignore-rule.ts';
export {
  checkImageReference,
  checkRegistryHost,
  formatReference,
  isValidTag,
  parseImageReference,
  repositoryName,
  withDefaultRegistry,
  type ImageReference,
} from './image-reference.ts';
export { deriveTagNames, deriveTags, tagFromName, versionOfRef, type GitState } from './image-tags.ts';
export { ENVIRONMENT_LABEL, OCI, imageLabels, type LabelFacts } from './oci-labels.ts';
export type { ImageRegistry, RegistryImage } from './registry.ts';
export {
  DEFAULT_PROTECTED_TAGS,
  compileProtectedTags,
  createdOf,
  inUseFrom,
  planRetention,
  type InUse,
  type ReleaseInUse,
  type RetentionPlan,
  type RetentionPolicy,
  type TagDecision,
  type Verdict,
} from './retention.ts';
export { bySeverity, countBySeverity, describeFinding, type Finding, type FindingKind, type ScanReport } from './scan-findings.ts';
export { evaluateScan, type GatePolicy, type GateResult } from './scan-gate.ts';
export { SEVERITIES, atOrAbove, emptyCounts, parseSeverityThreshold, severityRank, toSeverity, type Severity, type SeverityCounts } from './severity.ts';
