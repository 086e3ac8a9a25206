import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCommand } from '../../packages/adapters/process/run-command.ts';
import { DOCKER_HOST } from './services.ts';

/**
 * Releases of the sample service that misbehave on purpose, for canary tests and benchmarks: each
 * is built offline FROM the sample image (scripts/build-sample-image.sh) and answers
 * GET /cgi-bin/version with its version, after a delay, failing a share of requests with a 500
 * whose body starts `deliberate failure of <version>`. Variants differ only in their settings, so
 * two of them with the same settings behave alike and only the version they answer tells them apart.
 */
export interface SampleVariant {
  /** What /cgi-bin/version answers. */
  version: string;
  /** Share of requests answered 500, whole percent. Default 0. */
  failPercent?: number;
  /** Added to every answer, in seconds (busybox sleep: e.g. `0.1`). Default none. */
  delaySeconds?: number;
}

export const VARIANT_PATH = '/cgi-bin/version';
export const DELIBERATE_FAILURE = 'deliberate failure of ';

/**
 * The sample's own check with a longer timeout: under a benchmark's load on two shared cores a
 * healthy busybox can take over the sample's 1 s to answer, and a variant must not turn unhealthy
 * for that.
 */
const HEALTHCHECK =
  'HEALTHCHECK --interval=1s --timeout=5s --retries=3 CMD ["/bin/busybox", "sh", "-c", "/bin/busybox wget -q -O /dev/null http://127.0.0.1:$PORT/health"]';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const env = { ...process.env, DOCKER_HOST };

/** Builds the plain sample image as `base` (version 1.0.0 on /version), the image every variant starts FROM. */
export async function buildSampleBase(base: string): Promise<void> {
  const built = await runCommand('bash', ['scripts/build-sample-image.sh', base, '1.0.0'], { env, cwd: ROOT });
  if (built.exitCode !== 0) throw new Error(`building ${base} failed: ${built.stderr}`);
}

/** Builds `tag` FROM `base` with the variant's CGI and settings. */
export async function buildSampleVariant(base: string, tag: string, variant: SampleVariant): Promise<void> {
  const context = await mkdtemp(join(tmpdir(), 'sidhe-variant-'));
  try {
    await copyFile(new URL('sample-variant/version.cgi', import.meta.url), join(context, 'version.cgi'));
    const settings = [`SAMPLE_VERSION=${variant.version}`, `FAIL_PERCENT=${variant.failPercent ?? 0}`, `DELAY=${variant.delaySeconds ?? 0}`];
    await writeFile(
      join(context, 'Dockerfile'),
      [`FROM ${base}`, 'COPY version.cgi /www/cgi-bin/version', `ENV ${settings.join(' ')}`, HEALTHCHECK, ''].join('\n'),
    );
    const built = await runCommand('docker', ['build', '-q', '-t', tag, context], { env: { ...env, DOCKER_BUILDKIT: '0' } });
    if (built.exitCode !== 0) throw new Error(`building ${tag} failed: ${built.stderr}`);
  } finally {
    await rm(context, { recursive: true, force: true });
  }
}
