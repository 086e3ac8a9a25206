import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { DockerTarget } from '../../packages/adapters/docker/docker-target.ts';
import { ImageBuilder } from '../../packages/adapters/docker/image-build.ts';
import { createRegistry } from '../../packages/adapters/registry/create-registry.ts';
import { locateTrivy } from '../../packages/adapters/scanner/trivy-install.ts';
import { TrivyScanner } from '../../packages/adapters/scanner/trivy-scanner.ts';
import { ActionFailure, ConfigurationError, errorMessage } from '../../packages/core/errors.ts';
import { evaluateScan, repositoryName } from '../../packages/core/images/index.ts';
import type { ActionIO } from '../../packages/runtime/action-io.ts';
import { inputReader } from '../../packages/runtime/input-reader.ts';
import { outputWriter, type OutputWriter } from '../../packages/runtime/output-writer.ts';
import type { OutputName } from '../../packages/runtime/action-definition.ts';
import { loadActionConfig } from '../action-config.ts';
import { eventReporting, eventsRedisUrl, type EventReporting } from '../event-reporting.ts';
import { buildScanImage } from './definition.ts';
import { readBuildScanInputs, readGivenInputs, type BuildScanSettings } from './inputs.ts';
import { pruneRepository } from './retention-step.ts';
import { buildScanSummary, type BuildScanReport } from './summary.ts';

interface Step {
  settings: BuildScanSettings;
  builder: ImageBuilder;
  io: ActionIO;
  outputs: OutputWriter<OutputName<typeof buildScanImage>>;
  report: BuildScanReport;
  now: Date;
  events: EventReporting;
}

/** build-scan-image: build → scan and gate → push → retention; each step writes its outputs as soon as it has them. */
export async function buildScanImageMain(io: ActionIO): Promise<void> {
  const inputs = inputReader(buildScanImage, io);
  const outputs = outputWriter(buildScanImage, io);
  if (inputs.get('password')) io.setSecret(inputs.get('password'));
  const given = await readGivenInputs(inputs, io.context.workspace);
  const config = await loadActionConfig(inputs.get('config'), io);
  const now = new Date();
  const settings = await readBuildScanInputs(inputs, given, config, io.context, now);
  const redisUrl = eventsRedisUrl(io, inputs.get('events-redis-url'), config);
  const events = eventReporting(io, { action: buildScanImage.name, ...(settings.environment ? { environment: settings.environment } : {}) }, { redisUrl });
  const builder = new ImageBuilder({ ...(settings.dockerHost ? { dockerHost: settings.dockerHost } : {}), logger: io.log });
  const report: BuildScanReport = {
    verdict: '',
    tags: settings.build.tags,
    ...(settings.retentionSkipped ? { retentionSkipped: settings.retentionSkipped } : {}),
  };
  const step: Step = { settings, builder, io, outputs, report, now, events };
  try {
    await buildImage(step);
    await scanImage(step);
    if (settings.push) await pushAndPrune(step);
  } catch (error) {
    await events.report('image.failed', { image: settings.build.tags[0]!, message: errorMessage(error) });
    if (error instanceof ActionFailure || error instanceof ConfigurationError)
      await io.writeSummary(buildScanSummary({ ...report, verdict: `❌ ${error.message}` }));
    throw error;
  } finally {
    await events.close();
  }
  const pushed = report.digest ? `pushed as ${report.digest}` : 'built, not pushed';
  await io.writeSummary(buildScanSummary({ ...report, verdict: `✅ ${settings.build.tags[0]} ${pushed}${report.scan ? '; scan passed' : ''}` }));
}

async function buildImage({ settings: { build }, builder, io, outputs, report, events }: Step): Promise<void> {
  const built = await builder.build(build);
  await events.report('image.built', { image: build.tags[0]!, imageDigest: built.imageId, durationMs: Math.round(built.durationMs) });
  Object.assign(report, { imageId: built.imageId, builder: built.builder, buildMs: built.durationMs });
  outputs.set('image', build.tags[0]!);
  outputs.set('image-id', built.imageId);
  outputs.set('tags', build.tags.join('\n'));
  io.log.info(`built ${build.tags.join(', ')} (${built.imageId}) in ${(built.durationMs / 1000).toFixed(1)} s`);
}

async function scanImage({ settings, io, outputs, report, now, events }: Step): Promise<void> {
  const scan = settings.scan;
  if (!scan) return;
  if (scan.forcedBy) io.log.warning(`scanning although scan is off: ${scan.forcedBy}`);
  const trivy = await locateTrivy({ logger: io.log });
  io.log.info(`trivy: ${trivy.path} (${trivy.source})`);
  const outputDir = path.join(io.context.tempDir, `sidhe-scan-${Date.now()}`);
  await mkdir(outputDir, { recursive: true });
  const result = await new TrivyScanner({ binary: trivy.path, logger: io.log }).scanImage({
    image: settings.build.tags[0]!,
    scanners: scan.scanners,
    outputDir,
    ...(settings.dockerHost ? { dockerHost: settings.dockerHost } : {}),
  });
  const gate = evaluateScan(result.report, { threshold: scan.threshold, ignoreUnfixed: scan.ignoreUnfixed, ignores: scan.ignores, today: now });
  outputs.set('vulnerabilities', JSON.stringify(gate.counts));
  outputs.set('report-path', result.reportPath);
  outputs.set('sarif-path', result.sarifPath);
  outputs.set('sbom-path', result.sbomPath);
  await events.report('image.scanned', { image: settings.build.tags[0]!, outcome: gate.passed ? 'passed' : 'failed', message: gate.message });
  report.scan = { gate, threshold: scan.threshold, scanners: scan.scanners, ...(scan.forcedBy ? { forcedBy: scan.forcedBy } : {}) };
  if (!gate.passed) throw new ActionFailure(`${gate.message}; nothing was pushed`);
  io.log.info(gate.message);
}

async function pushAndPrune({ settings, builder, io, outputs, report, now, events }: Step): Promise<void> {
  const { build, credentials } = settings;
  if (credentials) await builder.login(settings.registry, credentials.username, credentials.password);
  try {
    for (const tag of build.tags) {
      const digest = await builder.push(tag);
      report.digest ??= digest;
    }
    outputs.set('digest', report.digest ?? '');
    io.log.info(`pushed ${build.tags.join(', ')} (${report.digest})`);
    await events.report('image.pushed', { image: build.tags[0]!, ...(report.digest ? { imageDigest: report.digest } : {}), message: build.tags.join(' ') });
    if (!settings.retention) {
      io.log.info(`retention did not run: ${settings.retentionSkipped}`);
      return;
    }
    const registry = createRegistry({
      type: settings.registryType,
      host: build.repository.registry,
      ...(credentials ? { credentials } : {}),
      githubApiUrl: settings.githubApiUrl,
    });
    const target = new DockerTarget({ ...(settings.dockerHost ? { dockerHost: settings.dockerHost } : {}), logger: io.log });
    const repository = { path: build.repository.repository, name: repositoryName(build.repository) };
    report.retention = await pruneRepository(registry, target, repository, settings.retention, now, io.log);
    outputs.set('deleted', report.retention.deleted.join('\n'));
    const gone = report.retention.dryRun ? 'would be deleted (dry run)' : 'deleted';
    await events.report('image.pruned', {
      message: `${report.retention.deleted.length} tag(s) of ${repository.name} ${gone}${report.retention.deleted.length ? `: ${report.retention.deleted.join(' ')}` : ''}`,
    });
  } finally {
    if (credentials) await builder.logout(settings.registry);
  }
}
