import { stat } from 'node:fs/promises';
import path from 'node:path';
import { environmentStrategy } from '../../packages/core/config/environment-strategy.ts';
import type { DevopsConfig, ImageLifecycle } from '../../packages/core/config/index.ts';
import { checkNamePart } from '../../packages/core/deploy/release.ts';
import { ConfigurationError, invalidValue } from '../../packages/core/errors.ts';
import {
  compileProtectedTags,
  deriveTags,
  formatReference,
  imageLabels,
  parseBuildArgs,
  parseImageReference,
  withDefaultRegistry,
  checkRegistryHost,
  parseLabels,
  parseSeverityThreshold,
  versionOfRef,
  type IgnoreRule,
  type ImageReference,
  type KeyValue,
  type Severity,
} from '../../packages/core/images/index.ts';
import { parseBoolean, parseEnum, parseList } from '../../packages/core/inputs/index.ts';
import { readWorkspaceFile, resolveWorkspacePath, SETTINGS_FILE_LIMIT } from '../../packages/adapters/files/workspace-file.ts';
import { REGISTRY_TYPES } from '../../packages/adapters/registry/create-registry.ts';
import { SCANNERS, type ScannerName } from '../../packages/adapters/scanner/trivy-scanner.ts';
import type { InputName } from '../../packages/runtime/action-definition.ts';
import type { RunContext } from '../../packages/runtime/action-io.ts';
import type { InputReader } from '../../packages/runtime/input-reader.ts';
import type { buildScanImage } from './definition.ts';

export interface BuildSettings {
  context: string;
  dockerfile: string;
  target?: string;
  buildArgs: KeyValue[];
  labels: Record<string, string>;
  tags: string[];
  /** Registry, repository of the first tag: where retention prunes. */
  repository: ImageReference;
}

export interface ScanSettings {
  scanners: ScannerName[];
  threshold: Severity;
  ignoreUnfixed: boolean;
  ignores: IgnoreRule[];
  /** Why the scan runs although the input said no, when it does. */
  forcedBy?: string;
}

export interface RetentionSettings {
  environment: string;
  lifecycle: ImageLifecycle;
  protectedTags: RegExp[];
  app: string;
  dryRun: boolean;
  /** Environments whose releases on the Docker host are asked which images they use. */
  environments: string[];
}

export interface BuildScanSettings {
  build: BuildSettings;
  scan: ScanSettings | undefined;
  push: boolean;
  registry: string;
  credentials?: { username: string; password: string };
  environment?: string;
  /** Undefined when retention does not run; `skipped` says why. */
  retention: RetentionSettings | undefined;
  retentionSkipped?: string;
  dockerHost: string;
  registryType: string;
  githubApiUrl: string;
}

type Inputs = InputReader<InputName<typeof buildScanImage>>;

async function exists(file: string, kind: 'file' | 'directory'): Promise<boolean> {
  const info = await stat(file).catch(() => undefined);
  return kind === 'file' ? Boolean(info?.isFile()) : Boolean(info?.isDirectory());
}

/** What build-scan-image reads from its inputs alone, checked before the configuration file is loaded. */
export interface GivenBuildScanInputs {
  context: string;
  dockerfile: string;
  environment: string | undefined;
  buildArgs: KeyValue[];
  labels: KeyValue[];
  credentials?: { username: string; password: string };
  push: boolean;
  registry: string;
  registryType: string;
  retention: boolean;
  dryRun: boolean;
  protectedTags: RegExp[];
}

/**
 * Every input of build-scan-image that the configuration file has no say in, checked: a bad one fails
 * before the configuration is read and before anything is built.
 */
export async function readGivenInputs(inputs: Inputs, workspace: string): Promise<GivenBuildScanInputs> {
  const contextInput = inputs.get('context');
  const buildContext = await resolveWorkspacePath('context', contextInput, workspace);
  if (!buildContext || !(await exists(buildContext, 'directory'))) {
    throw new ConfigurationError(`context: directory ${contextInput} does not exist (resolved to ${path.resolve(workspace, contextInput)})`);
  }
  const fileInput = inputs.get('file');
  const dockerfile = await resolveWorkspacePath('file', fileInput || path.join(buildContext, 'Dockerfile'), workspace);
  if (!dockerfile || !(await exists(dockerfile, 'file'))) {
    const looked = fileInput ? path.resolve(workspace, fileInput) : path.join(buildContext, 'Dockerfile');
    throw new ConfigurationError(
      `file: no Dockerfile at ${looked}${fileInput ? '' : ' (the default: Dockerfile in the context)'}; give file, relative to the workspace`,
    );
  }
  const environment = inputs.get('environment') ? checkNamePart('environment', inputs.get('environment')) : undefined;
  const labels = parseLabels(inputs.get('labels'));
  const buildArgs = parseBuildArgs(inputs.get('build-args'));
  const username = inputs.get('username');
  const password = inputs.get('password');
  if (Boolean(username) !== Boolean(password))
    throw new ConfigurationError(`give both username and password, or neither (only ${username ? 'username' : 'password'} was given)`);
  return {
    context: buildContext,
    dockerfile,
    environment,
    buildArgs,
    labels,
    ...(username ? { credentials: { username, password } } : {}),
    push: parseBoolean('push', inputs.get('push')),
    registry: inputs.get('registry') ? checkRegistryHost('registry', inputs.get('registry')) : '',
    registryType: parseEnum('registry-type', inputs.get('registry-type'), REGISTRY_TYPES),
    retention: parseBoolean('retention', inputs.get('retention')),
    dryRun: parseBoolean('dry-run', inputs.get('dry-run')),
    protectedTags: compileProtectedTags(parseList(inputs.get('protected-tags'), { commas: false }), (pattern, problem) =>
      invalidValue('protected-tags', pattern, `use regular expressions matching whole tags (${problem})`),
    ),
  };
}

/** The settings of build-scan-image: the checked inputs with the configuration file's per-environment settings. */
export async function readBuildScanInputs(
  inputs: Inputs,
  given: GivenBuildScanInputs,
  config: DevopsConfig,
  context: RunContext,
  now: Date,
): Promise<BuildScanSettings> {
  const { environment } = given;
  const lifecycle = environment ? environmentStrategy(config, environment).lifecycle : undefined;
  const tags = readTags(inputs, context, config.devops_automator.docker.registry);
  const repository = parseImageReference('tags', tags[0]!);
  const ref = inputs.get('ref');
  const labels = imageLabels(
    {
      created: now,
      ...(sourceUrl(inputs.get('source-url')) ? { source: sourceUrl(inputs.get('source-url'))! } : {}),
      ...(context.commit ? { revision: context.commit } : {}),
      version: versionOfRef(ref) ?? repository.tag!,
      ...(environment ? { environment } : {}),
    },
    given.labels,
  );
  const build: BuildSettings = {
    context: given.context,
    dockerfile: given.dockerfile,
    ...(inputs.get('target') ? { target: inputs.get('target') } : {}),
    buildArgs: given.buildArgs,
    labels,
    tags,
    repository: { registry: repository.registry, repository: repository.repository },
  };
  const settings: BuildScanSettings = {
    build,
    scan: await readScan(inputs, config, lifecycle, environment, context.workspace),
    push: given.push,
    registry: given.registry || repository.registry,
    ...(given.credentials ? { credentials: given.credentials } : {}),
    ...(environment ? { environment } : {}),
    retention: undefined,
    dockerHost: inputs.get('docker-host'),
    registryType: given.registryType,
    githubApiUrl: inputs.get('github-api-url'),
  };
  const retention = readRetention(inputs, given, config, lifecycle, repository);
  if (typeof retention === 'string') settings.retentionSkipped = retention;
  else settings.retention = retention;
  const ghcr = settings.registryType === 'ghcr' || (settings.registryType === 'auto' && repository.registry === 'ghcr.io');
  if (settings.retention && ghcr && !given.credentials) {
    throw new ConfigurationError(
      'retention on GHCR deletes through GitHub’s Packages API: give username and password (a token with read:packages and delete:packages), or set retention: false',
    );
  }
  return settings;
}

function readTags(inputs: Inputs, context: RunContext, defaultRegistry: string): string[] {
  if (inputs.get('tags')) {
    return parseList(inputs.get('tags'), { commas: false }).map((raw) => {
      const ref = parseImageReference('tags', raw);
      if (!ref.tag || ref.digest) throw invalidValue('tags', raw, 'give each reference a tag and no digest, e.g. ghcr.io/acme/shop:1.4.2');
      return formatReference(ref);
    });
  }
  if (!inputs.get('image')) throw new ConfigurationError('give image (e.g. ghcr.io/acme/shop) to derive tags from the Git ref, or tags');
  const image = parseImageReference('image', withDefaultRegistry(inputs.get('image'), defaultRegistry));
  if (image.tag || image.digest)
    throw invalidValue('image', inputs.get('image'), 'give the name without a tag or digest, e.g. ghcr.io/acme/shop; put full references in tags');
  return deriveTags(image, { ref: inputs.get('ref'), commit: context.commit ?? '' });
}

/** `https://github.com/` alone (no repository: a run outside GitHub) is no source. */
function sourceUrl(raw: string): string | undefined {
  return /^https?:\/\/[^/]+\/[^/]+\/[^/]+/.test(raw) ? raw : undefined;
}

async function readScan(
  inputs: Inputs,
  config: DevopsConfig,
  lifecycle: ImageLifecycle | undefined,
  environment: string | undefined,
  workspace: string,
): Promise<ScanSettings | undefined> {
  const asked = inputs.given('scan') ? parseBoolean('scan', inputs.get('scan')) : config.devops_automator.docker.image_scanning;
  const forcedBy = lifecycle?.security_scanning === 'required' && !asked ? `image_lifecycle.${environment}.security_scanning is required` : undefined;
  if (!asked && !forcedBy) return undefined;
  const scanners = parseList(inputs.get('scanners')).map((s) => parseEnum('scanners', s, SCANNERS));
  if (scanners.length === 0) throw invalidValue('scanners', inputs.get('scanners'), `use one or more of: ${SCANNERS.join(', ')}`);
  const ignoreFile = inputs.get('ignore-file');
  let ignores: IgnoreRule[] = [];
  if (ignoreFile) {
    const { text } = await readWorkspaceFile('ignore-file', ignoreFile, workspace, { maxBytes: SETTINGS_FILE_LIMIT });
    const { parseIgnoreFile } = await import('../../packages/core/images/ignore-file.ts');
    ignores = parseIgnoreFile(text, ignoreFile);
  }
  return {
    scanners: [...new Set(scanners)],
    threshold: parseSeverityThreshold(inputs.get('severity-threshold')),
    ignoreUnfixed: parseBoolean('ignore-unfixed', inputs.get('ignore-unfixed')),
    ignores,
    ...(forcedBy ? { forcedBy } : {}),
  };
}

function readRetention(
  inputs: Inputs,
  { environment, push, retention, dryRun, protectedTags }: GivenBuildScanInputs,
  config: DevopsConfig,
  lifecycle: ImageLifecycle | undefined,
  repository: ImageReference,
): RetentionSettings | string {
  if (!retention) return 'retention is off';
  if (!push) return 'nothing was pushed';
  if (!environment) return 'no environment was given';
  if (!lifecycle) return `image_lifecycle has no policy for ${environment}`;
  if (!config.devops_automator.docker.lifecycle_management) {
    return 'devops_automator.docker.lifecycle_management is off';
  }
  const app = inputs.get('app') || repository.repository.split('/').at(-1)!;
  const environments = [...new Set([environment, ...Object.keys(config.image_lifecycle), ...Object.keys(config.deployment_strategies)])].filter((e) =>
    /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/.test(e),
  );
  return { environment, lifecycle, protectedTags, app, dryRun, environments };
}
