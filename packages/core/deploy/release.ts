import { invalidValue } from '../errors.ts';

/**
 * A release as the host records it. The labels on a service's containers are the whole deploy state
 * (no local state file), so any runner can read what runs where and what ran before.
 */
export const COLOURS = ['blue', 'green'] as const;
export type Colour = (typeof COLOURS)[number];

export interface ReleaseLabels {
  app: string;
  environment: string;
  colour: Colour;
  /** See releaseId(). */
  release: string;
  /** The reference the user asked for, e.g. `ghcr.io/acme/shop:1.4.2`. */
  image: string;
  /** `sha256:…`: the registry's manifest digest when the engine knows it, else the local image id. */
  imageDigest: string;
  commit?: string;
  actor?: string;
  /** ISO 8601 in UTC, e.g. `2025-03-01T12:00:00.000Z`. */
  deployedAt: string;
  /** Where the service listens on 127.0.0.1 (its PORT). */
  port: number;
  /** The release that served traffic before this one, when there was one. */
  previousRelease?: string;
  /** Its image, so rollback can restart it when its container is gone. */
  previousImage?: string;
  /** The HTTP path its deploy proved it healthy on, so rollback, promote and abort need not be told again. */
  healthPath?: string;
  /** envFingerprint() of the service's environment: a changed `env` is a new deploy, never its values. */
  envHash?: string;
  /**
   * `baseline`: a fresh copy of the stable release a canary is compared with, in its own container
   * and router slot. It is never the live release: live state, rollback and deploys skip it.
   */
  role?: 'baseline';
}

/** Every label the suite owns starts with this, so ours never clash with an image's own labels. */
export const LABEL_PREFIX = 'dev.sidhe.';

export const RELEASE_LABEL_KEYS = {
  app: `${LABEL_PREFIX}app`,
  environment: `${LABEL_PREFIX}environment`,
  colour: `${LABEL_PREFIX}colour`,
  release: `${LABEL_PREFIX}release`,
  image: `${LABEL_PREFIX}image`,
  imageDigest: `${LABEL_PREFIX}image-digest`,
  commit: `${LABEL_PREFIX}commit`,
  actor: `${LABEL_PREFIX}actor`,
  deployedAt: `${LABEL_PREFIX}deployed-at`,
  port: `${LABEL_PREFIX}port`,
  previousRelease: `${LABEL_PREFIX}previous-release`,
  previousImage: `${LABEL_PREFIX}previous-image`,
  healthPath: `${LABEL_PREFIX}health-path`,
  envHash: `${LABEL_PREFIX}env-hash`,
  role: `${LABEL_PREFIX}role`,
} as const satisfies Record<keyof ReleaseLabels, string>;

/**
 * App and environment names go into container names, where `.` separates them (`sidhe-shop.prod-blue`)
 * so that app `a-b` in environment `c` and app `a` in environment `b-c` never share a container.
 */
const NAME_PART = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;
const NAME_RULE = "use letters, digits, '_' and '-' (up to 63, starting with a letter or digit; no '.')";

/**
 * `r<UTC yyyymmddHHMMSS>-<first 12 hex digits of the image digest>`, e.g. `r20250301120000-3f2a9c0b1d4e`:
 * sorts by deploy time as plain text, and names the image, so two deploys differ unless they start the
 * same image within the same second (the environment's lock makes that a re-deploy of the live release).
 */
const RELEASE_ID = /^r\d{14}-[0-9a-f]{12}$/;
const DIGEST = /^sha256:[0-9a-f]{64}$/;
const ENV_HASH = /^[0-9a-f]{16}$/;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

export function releaseId(deployedAt: Date, imageDigest: string): string {
  if (!DIGEST.test(imageDigest)) throw invalidValue('image digest', imageDigest, 'expected sha256: and 64 hex digits');
  const stamp = deployedAt.toISOString().replace(/\D/g, '').slice(0, 14);
  return `r${stamp}-${imageDigest.slice('sha256:'.length, 'sha256:'.length + 12)}`;
}

export function isReleaseId(text: string): boolean {
  return RELEASE_ID.test(text);
}

/** Checks an app or environment name; `what` is the input name for the message. */
export function checkNamePart(what: 'app' | 'environment', value: string): string {
  if (!NAME_PART.test(value)) throw invalidValue(what, value, NAME_RULE);
  return value;
}

/** The one container a colour of an app's environment runs in: `sidhe-<app>.<environment>-<colour>`. */
export function containerName(app: string, environment: string, colour: Colour): string {
  return `sidhe-${checkNamePart('app', app)}.${checkNamePart('environment', environment)}-${colour}`;
}

/** The router slot, and the container name's suffix, of a canary's baseline. */
export const BASELINE_SLOT = 'baseline';

/** A canary's baseline: `sidhe-<app>.<environment>-baseline`, beside the two colours'. */
export function baselineContainerName(app: string, environment: string): string {
  return `sidhe-${checkNamePart('app', app)}.${checkNamePart('environment', environment)}-${BASELINE_SLOT}`;
}

/** The container a release runs in: its colour's, or the baseline's. */
export function releaseContainerName(labels: Pick<ReleaseLabels, 'app' | 'environment' | 'colour' | 'role'>): string {
  return labels.role === 'baseline' ? baselineContainerName(labels.app, labels.environment) : containerName(labels.app, labels.environment, labels.colour);
}

type Field = keyof ReleaseLabels;
// Optional fields keep containers of earlier versions (which lack the newer labels) decodable.
const OPTIONAL: ReadonlySet<Field> = new Set(['commit', 'actor', 'previousRelease', 'previousImage', 'envHash', 'healthPath', 'role']);

/** Why a label value is unusable, or undefined when it is fine. */
function problemWith(field: Field, value: string): string | undefined {
  switch (field) {
    case 'app':
    case 'environment':
      return NAME_PART.test(value) ? undefined : NAME_RULE;
    case 'colour':
      return (COLOURS as readonly string[]).includes(value) ? undefined : `use ${COLOURS.join(' or ')}`;
    case 'release':
    case 'previousRelease':
      return RELEASE_ID.test(value) ? undefined : 'expected a release id like r20250301120000-3f2a9c0b1d4e';
    case 'imageDigest':
      return DIGEST.test(value) ? undefined : 'expected sha256: and 64 hex digits';
    case 'envHash':
      return ENV_HASH.test(value) ? undefined : 'expected 16 hex digits';
    case 'deployedAt':
      return ISO_UTC.test(value) && !Number.isNaN(Date.parse(value)) ? undefined : 'expected an ISO 8601 UTC time';
    case 'port':
      return /^\d{1,5}$/.test(value) && Number(value) >= 1 && Number(value) <= 65535 ? undefined : 'expected a port from 1 to 65535';
    case 'healthPath':
      return /^\/[^\s\u0000-\u001f\u007f]*$/.test(value) ? undefined : 'expected an HTTP path starting with /';
    case 'role':
      return value === BASELINE_SLOT ? undefined : `expected ${BASELINE_SLOT}`;
    case 'image':
    case 'previousImage':
    case 'commit':
    case 'actor':
      // Label values can hold anything, but these end up in messages and summaries: one plain line.
      return value !== '' && !/[\u0000-\u001f\u007f]/.test(value) ? undefined : 'expected one line of text';
  }
}

/** Docker labels for a release. Throws a ConfigurationError naming the first unusable field. */
export function encodeReleaseLabels(labels: ReleaseLabels): Record<string, string> {
  const encoded: Record<string, string> = {};
  for (const [field, key] of Object.entries(RELEASE_LABEL_KEYS) as [Field, string][]) {
    const value = labels[field];
    if (value === undefined && OPTIONAL.has(field)) continue;
    const text = String(value ?? '');
    const problem = value === undefined ? 'it is required' : problemWith(field, text);
    if (problem) throw invalidValue(`release label ${key}`, text, problem);
    encoded[key] = text;
  }
  return encoded;
}

export type LabelReading = { ok: true; labels: ReleaseLabels } | { ok: false; problem: string };

/**
 * Reads a container's labels back. A container whose labels are missing or garbled is reported with
 * every problem found, never trusted: the deploy must not route to or roll back onto a guess.
 */
export function decodeReleaseLabels(raw: Readonly<Record<string, string>>): LabelReading {
  const values: Partial<Record<Field, string>> = {};
  const problems: string[] = [];
  for (const [field, key] of Object.entries(RELEASE_LABEL_KEYS) as [Field, string][]) {
    const value = raw[key];
    if (value === undefined) {
      if (!OPTIONAL.has(field)) problems.push(`${key} is missing`);
      continue;
    }
    const problem = problemWith(field, value);
    if (problem) problems.push(`${key}=${JSON.stringify(value)}: ${problem}`);
    else values[field] = value;
  }
  if (problems.length > 0) return { ok: false, problem: `labels not trusted: ${problems.join('; ')}` };
  const { port, colour, role, ...text } = values as Record<Field, string>;
  const labels: ReleaseLabels = { ...text, colour: colour as Colour, port: Number(port), ...(role ? { role: 'baseline' as const } : {}) };
  return { ok: true, labels };
}
