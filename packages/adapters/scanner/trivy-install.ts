import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { access, constants, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ActionFailure } from '../../core/errors.ts';
import { silentLogger, type Logger } from '../../core/logger.ts';

export interface TrivyRelease {
  version: string;
  url: string;
  sha256: string;
}

/**
 * The trivy release installed when none is on PATH, with the sha256 of each release archive (as
 * trivy 0.63.0's checksums.txt lists them); a download that does not match is refused. To move the
 * pin, change the version and every checksum together.
 */
const PINNED_VERSION = '0.63.0';
const PINNED_ARCHIVES: Record<string, { file: string; sha256: string }> = {
  'linux-x64': { file: 'Linux-64bit', sha256: 'ea91fa393cfcb802da22832c96e99a4c8a295a8ba8faefd824c7168b7f0a741e' },
  'linux-arm64': { file: 'Linux-ARM64', sha256: '9aeecf81e8a1dc5625dd96a1a6fbea92a1f8e51c4160cfc0e412ef5f641ea1ac' },
  'darwin-arm64': { file: 'macOS-ARM64', sha256: '784f687759c647ffad54e4d7f55ed953647e4fff5ea1e38dbaf877a135254972' },
  'darwin-x64': { file: 'macOS-64bit', sha256: '01659b540a885ee9bd1273c8c75ade1ce046fc9d6e5933d5978d9125a6a1cf6c' },
};

export function pinnedTrivyRelease(platform = `${process.platform}-${process.arch}`): TrivyRelease | undefined {
  const archive = PINNED_ARCHIVES[platform];
  if (!archive) return undefined;
  return {
    version: PINNED_VERSION,
    url: `https://github.com/aquasecurity/trivy/releases/download/v${PINNED_VERSION}/trivy_${PINNED_VERSION}_${archive.file}.tar.gz`,
    sha256: archive.sha256,
  };
}

export interface LocateOptions {
  /** The PATH to search; the process's by default. */
  searchPath?: string;
  /** What to install when PATH has no trivy; the pinned release for this platform by default. */
  release?: TrivyRelease;
  logger?: Logger;
}

export interface LocatedTrivy {
  path: string;
  /** Where it came from, for the log and the summary. */
  source: 'PATH' | 'tool cache' | 'download';
}

export async function findOnPath(name: string, searchPath = process.env.PATH ?? ''): Promise<string | undefined> {
  for (const dir of searchPath.split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, name);
    if (
      await access(candidate, constants.X_OK).then(
        () => true,
        () => false,
      )
    )
      return candidate;
  }
  return undefined;
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * trivy on PATH, else the pinned release from the runner's tool cache, else downloaded, checked
 * against its pinned sha256, unpacked and cached there for the next job on this runner.
 */
export async function locateTrivy(options: LocateOptions = {}): Promise<LocatedTrivy> {
  const logger = options.logger ?? silentLogger;
  const onPath = await findOnPath('trivy', options.searchPath);
  if (onPath) return { path: onPath, source: 'PATH' };
  const release = options.release ?? pinnedTrivyRelease();
  if (!release) {
    throw new ActionFailure(
      `no trivy on PATH, and no pinned trivy release for ${process.platform}-${process.arch}; install trivy on the runner or set scan: false`,
    );
  }
  // @actions/tool-cache works in the runner's folders; outside a runner (the CLI) use our own.
  process.env.RUNNER_TOOL_CACHE ||= path.join(os.homedir(), '.cache', 'sidhe-devops', 'tools');
  process.env.RUNNER_TEMP ||= os.tmpdir();
  // Loaded here: only a run that installs trivy needs it.
  const tc = await import('@actions/tool-cache');
  const cached = tc.find('trivy', release.version);
  if (cached) return { path: path.join(cached, 'trivy'), source: 'tool cache' };

  logger.info(`installing trivy ${release.version} from ${release.url}`);
  let archive: string;
  try {
    archive = await tc.downloadTool(release.url);
  } catch (error) {
    throw new ActionFailure(`downloading trivy ${release.version} from ${release.url} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  const actual = await sha256Of(archive);
  if (actual !== release.sha256) {
    await rm(archive, { force: true });
    throw new ActionFailure(
      `trivy ${release.version} from ${release.url} has sha256 ${actual}, not the pinned ${release.sha256}; refused it, nothing was installed`,
    );
  }
  const unpacked = await tc.extractTar(archive);
  await rm(archive, { force: true });
  const dir = await tc.cacheDir(unpacked, 'trivy', release.version);
  const binary = path.join(dir, 'trivy');
  if (
    !(await access(binary, constants.X_OK).then(
      () => true,
      () => false,
    ))
  ) {
    throw new ActionFailure(`the trivy ${release.version} archive from ${release.url} has no executable trivy at its top level`);
  }
  return { path: binary, source: 'download' };
}
