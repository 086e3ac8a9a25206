import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ActionFailure } from '../../core/errors.ts';
import type { ScanReport } from '../../core/images/index.ts';
import { silentLogger, type Logger } from '../../core/logger.ts';
import { runCommand } from '../process/run-command.ts';
import { normaliseTrivyReport, TrivyReportError } from './trivy-report.ts';

export const SCANNERS = ['vuln', 'secret', 'misconfig'] as const;
export type ScannerName = (typeof SCANNERS)[number];

export interface ImageScanRequest {
  /** A reference or id of an image in the local Docker engine. */
  image: string;
  scanners: readonly ScannerName[];
  /** Where the reports go. */
  outputDir: string;
  /** The engine holding the image (`unix://...`, `tcp://...`); DOCKER_HOST's by default. */
  dockerHost?: string;
  timeoutMs?: number;
  /** trivy's cache (analysed layers, databases); trivy's default (~/.cache/trivy) when not given. */
  cacheDir?: string;
}

export interface ImageScan {
  report: ScanReport;
  /** trivy's JSON report, SARIF for code scanning, CycloneDX SBOM. */
  reportPath: string;
  sarifPath: string;
  sbomPath: string;
}

export interface TrivyScannerOptions {
  binary: string;
  logger?: Logger;
  env?: NodeJS.ProcessEnv;
}

/** trivy run on an image in the local engine: one scan to JSON, then SARIF and the SBOM converted from it. */
export class TrivyScanner {
  readonly #binary: string;
  readonly #logger: Logger;
  readonly #env: NodeJS.ProcessEnv;
  #misconfigName: Promise<string> | undefined;

  constructor(options: TrivyScannerOptions) {
    this.#binary = options.binary;
    this.#logger = options.logger ?? silentLogger;
    this.#env = options.env ?? process.env;
  }

  async scanImage(request: ImageScanRequest): Promise<ImageScan> {
    const reportPath = path.join(request.outputDir, 'trivy-report.json');
    const sarifPath = path.join(request.outputDir, 'trivy-results.sarif');
    const sbomPath = path.join(request.outputDir, 'sbom.cdx.json');
    // We apply ignores ourselves (with expiry), so trivy must not pick up a .trivyignore of its own.
    const noIgnores = path.join(request.outputDir, 'trivyignore-none');
    await writeFile(noIgnores, '');
    const scanners = await Promise.all(request.scanners.map((s) => this.#trivyName(s)));
    const env = { ...this.#env, ...(request.dockerHost ? { DOCKER_HOST: request.dockerHost } : {}) };
    const timeoutMs = request.timeoutMs ?? 15 * 60_000;
    this.#logger.info(`scanning ${request.image} with trivy (${request.scanners.join(', ')})`);
    await this.#trivy(
      `scanning ${request.image}`,
      [
        'image',
        ...['--format', 'json', '--output', reportPath, '--list-all-pkgs'],
        ...['--scanners', scanners.join(','), '--image-src', 'docker', '--ignorefile', noIgnores],
        ...(request.cacheDir ? ['--cache-dir', request.cacheDir] : []),
        ...['--timeout', `${Math.ceil(timeoutMs / 1000)}s`, '--quiet', request.image],
      ],
      { env, cwd: request.outputDir, timeoutMs: timeoutMs + 30_000 },
    );
    // Each trivy start costs seconds; the two conversions read only the report, so run them together.
    const convert = { env, cwd: request.outputDir, timeoutMs: 120_000 };
    await Promise.all([
      this.#trivy('writing SARIF', ['convert', '--format', 'sarif', '--output', sarifPath, reportPath], convert),
      this.#trivy('writing the CycloneDX SBOM', ['convert', '--format', 'cyclonedx', '--output', sbomPath, reportPath], convert),
    ]);
    let report: ScanReport;
    try {
      report = normaliseTrivyReport(JSON.parse(await readFile(reportPath, 'utf8')), request.image);
    } catch (error) {
      if (error instanceof TrivyReportError || error instanceof SyntaxError)
        throw new ActionFailure(`trivy's report ${reportPath} cannot be read: ${error.message}`);
      throw error;
    }
    return { report: { ...report, artifact: request.image }, reportPath, sarifPath, sbomPath };
  }

  /** trivy named the misconfiguration scanner `config` before 0.43 (the binary may be older than our pin). */
  async #trivyName(scanner: ScannerName): Promise<string> {
    if (scanner !== 'misconfig') return scanner;
    this.#misconfigName ??= runCommand(this.#binary, ['image', '--help'], { env: this.#env, timeoutMs: 30_000 }).then((help) =>
      /--scanners[^\n]*misconfig/.test(help.stdout) ? 'misconfig' : 'config',
    );
    return this.#misconfigName;
  }

  async #trivy(what: string, args: string[], options: { env: NodeJS.ProcessEnv; cwd: string; timeoutMs: number }): Promise<void> {
    const result = await runCommand(this.#binary, args, options).catch((error: unknown) => {
      throw new ActionFailure(`cannot run trivy at ${this.#binary}: ${error instanceof Error ? error.message : String(error)}`);
    });
    if (result.timedOut) throw new ActionFailure(`trivy did not finish ${what} within ${Math.round(options.timeoutMs / 1000)}s`);
    if (result.exitCode !== 0) throw new ActionFailure(`trivy failed ${what} (exit code ${result.exitCode}): ${trivyWords(result.stderr)}`);
  }
}

/**
 * trivy's reason from its log: its FATAL or ERROR lines, else its last line. A failed database
 * download gets a hint, since it is what an offline runner hits.
 */
export function trivyWords(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((line) =>
      line
        .replace(/\u001b\[[0-9;]*m/g, '')
        .replace(/^\S+Z\s+/, '')
        .trim(),
    )
    .filter(Boolean);
  const errors = lines.filter((line) => /^(FATAL|ERROR)\b/.test(line));
  const said = (errors.length > 0 ? errors.join(' ') : (lines.at(-1) ?? 'it printed nothing')).replace(/\s+/g, ' ');
  const text = said.length > 400 ? `${said.slice(0, 400)}…` : said;
  if (/download(ing)? (vulnerability )?DB|DB error|Need to update DB|failed to download/i.test(stderr)) {
    return `${text} (trivy could not fetch its vulnerability database; on a runner without access to ghcr.io, scan with scanners: secret,misconfig or provide trivy's cache)`;
  }
  return text;
}
