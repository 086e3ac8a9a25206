import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multiStageContext, PLANTED_AWS_KEY, secretFiles } from '../../../test/fixtures/images/multi-stage-context.ts';
import { DOCKER_HOST } from '../../../test/support/services.ts';
import { evaluateScan } from '../../core/images/index.ts';
import { ImageBuilder } from '../docker/image-build.ts';
import { runCommand } from '../process/run-command.ts';
import { locateTrivy } from './trivy-install.ts';
import { TrivyScanner } from './trivy-scanner.ts';

const repo = path.resolve(import.meta.dirname, '../../..');
const TOOLS_PATH = `${path.join(repo, '.tools', 'bin')}${path.delimiter}${process.env.PATH}`;
const tag = `sidhe-itg-scan-${process.pid}:secret`;

describe('trivy (the real binary from .tools) on a real image', () => {
  let scanner: TrivyScanner;
  beforeAll(async () => {
    const trivy = await locateTrivy({ searchPath: TOOLS_PATH });
    expect(trivy.source).toBe('PATH');
    scanner = new TrivyScanner({ binary: trivy.path });
    const context = multiStageContext(secretFiles());
    await new ImageBuilder({ dockerHost: DOCKER_HOST }).build({
      context,
      dockerfile: path.join(context, 'Dockerfile'),
      buildArgs: [],
      labels: {},
      tags: [tag],
    });
  });
  afterAll(() => runCommand('docker', ['--host', DOCKER_HOST, 'rmi', '--force', tag]));

  it('finds the planted secret, writes SARIF and a CycloneDX SBOM, and the gate fails naming the finding', async () => {
    const outputDir = mkdtempSync(path.join(os.tmpdir(), 'sidhe-scan-'));
    const scan = await scanner.scanImage({ image: tag, scanners: ['secret', 'misconfig'], outputDir, dockerHost: DOCKER_HOST });
    expect(scan.report.findings).toEqual([
      { kind: 'secret', id: 'aws-access-key-id', severity: 'CRITICAL', target: '/app/credentials', title: 'AWS Access Key ID', line: 2 },
    ]);
    const sbom = JSON.parse(readFileSync(scan.sbomPath, 'utf8'));
    expect(sbom.bomFormat).toBe('CycloneDX');
    expect(sbom.components.map((c: { purl?: string }) => c.purl)).toContainEqual(expect.stringContaining('pkg:npm/left-pad@1.3.0'));
    const sarif = JSON.parse(readFileSync(scan.sarifPath, 'utf8'));
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results.map((r: { ruleId: string }) => r.ruleId)).toEqual(['aws-access-key-id']);

    const gate = evaluateScan(scan.report, { threshold: 'HIGH', ignoreUnfixed: false, ignores: [], today: new Date() });
    expect(gate.passed).toBe(false);
    expect(gate.message).toBe(`${tag} has 1 finding(s) at or above HIGH: secret aws-access-key-id (AWS Access Key ID, CRITICAL) in /app/credentials:2`);
    expect(gate.message).not.toContain(PLANTED_AWS_KEY);
  });

  it('explains a failed scan with trivy’s words', async () => {
    const outputDir = mkdtempSync(path.join(os.tmpdir(), 'sidhe-scan-'));
    await expect(
      scanner.scanImage({ image: `sidhe-itg-missing-${process.pid}:none`, scanners: ['secret'], outputDir, dockerHost: DOCKER_HOST, timeoutMs: 60_000 }),
    ).rejects.toThrow(/^trivy failed scanning sidhe-itg-missing-\d+:none \(exit code 1\): /);
  });
});

describe('installing a pinned trivy through @actions/tool-cache', () => {
  let server: http.Server;
  let base = '';
  let archive: Buffer;
  beforeAll(async () => {
    // A stand-in binary in a release-shaped archive, served on loopback: the download, checksum,
    // unpacking and caching are the real tool-cache path.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sidhe-trivy-release-'));
    mkdirSync(path.join(dir, 'pkg'));
    writeFileSync(path.join(dir, 'pkg', 'trivy'), '#!/bin/sh\necho "Version: 9.9.9"\n');
    chmodSync(path.join(dir, 'pkg', 'trivy'), 0o755);
    await runCommand('tar', ['-czf', path.join(dir, 'trivy.tar.gz'), '-C', path.join(dir, 'pkg'), 'trivy']);
    archive = readFileSync(path.join(dir, 'trivy.tar.gz'));
    server = http.createServer((_req, res) => res.end(archive));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    process.env.RUNNER_TOOL_CACHE = mkdtempSync(path.join(os.tmpdir(), 'sidhe-tool-cache-'));
    process.env.RUNNER_TEMP = mkdtempSync(path.join(os.tmpdir(), 'sidhe-runner-temp-'));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('refuses an archive whose sha256 is not the pinned one, then installs and caches the right one', async () => {
    const sha256 = createHash('sha256').update(archive).digest('hex');
    const release = { version: '9.9.9', url: `${base}/trivy_9.9.9_Linux-64bit.tar.gz`, sha256 };
    await expect(locateTrivy({ searchPath: '/nonexistent', release: { ...release, sha256: '0'.repeat(64) } })).rejects.toThrow(
      `trivy 9.9.9 from ${release.url} has sha256 ${sha256}, not the pinned ${'0'.repeat(64)}; refused it, nothing was installed`,
    );
    const installed = await locateTrivy({ searchPath: '/nonexistent', release });
    expect(installed.source).toBe('download');
    expect((await runCommand(installed.path, ['--version'])).stdout).toBe('Version: 9.9.9\n');
    const again = await locateTrivy({ searchPath: '/nonexistent', release });
    expect(again).toEqual({ path: installed.path, source: 'tool cache' });
  });
});
