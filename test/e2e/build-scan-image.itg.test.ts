import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OciRegistry } from '../../packages/adapters/registry/oci-registry.ts';
import { FakeGitHubPackages } from '../../packages/adapters/registry/testing/fake-github-packages.ts';
import { freeLoopbackPort, HTPASSWD_FIXTURE, SHARED_REGISTRY, startRegistry, TEST_USER } from '../../packages/adapters/registry/testing/local-registry.ts';
import { pushTestImage } from '../../packages/adapters/registry/testing/push-test-image.ts';
import { runCommand } from '../../packages/adapters/process/run-command.ts';
import { encodeReleaseLabels } from '../../packages/core/deploy/release.ts';
import { ENVIRONMENT_LABEL, OCI } from '../../packages/core/images/index.ts';
import { multiStageContext, PLANTED_AWS_KEY, secretFiles } from '../fixtures/images/multi-stage-context.ts';
import { runBundle } from '../harness/run-bundle.ts';
import { DOCKER_HOST, REDIS_URL } from '../support/services.ts';
import { closeConnection } from '../../packages/adapters/bus/redis-connection.ts';
import { recentEvents } from '../../packages/adapters/bus/redis-event-reader.ts';
import { connectedRedis } from '../../packages/adapters/bus/testing/redis-server.ts';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const SHA = '3f2a9c0b1d4e5f60718293a4b5c6d7e8f9012345';
const ENV = { DOCKER_HOST, PATH: `${path.join(repoRoot, '.tools', 'bin')}${path.delimiter}${process.env.PATH}`, GITHUB_SHA: SHA };
const run = (inputs: Record<string, string>, workspace = multiStageContext()) =>
  runBundle('build-scan-image', { scanners: 'secret', ...inputs }, { env: ENV, workspace });
const docker = (...args: string[]) => runCommand('docker', ['--host', DOCKER_HOST, ...args]);
const unique = `${process.pid}-${Date.now() % 100_000}`;
const DAY = 86_400_000;
const containers: string[] = [];
afterAll(async () => {
  if (containers.length > 0) await docker('rm', '--force', ...containers);
});

describe('build-scan-image through the committed bundle', () => {
  it('builds a target stage with build args, labels and derived tags, scans it, pushes it, and it pulls back by digest', async () => {
    const image = `${SHARED_REGISTRY}/sidhe-e2e-${unique}/shop`;
    const result = await run({
      image,
      ref: 'refs/tags/v1.4.2',
      'source-url': 'https://github.com/acme/shop',
      target: 'runtime',
      'build-args': 'VERSION=1.4.2\nGREETING=hello',
      labels: 'com.acme.team=payments',
      environment: 'staging',
      push: 'true',
    });
    expect(result.exitCode, result.stdout).toBe(0);
    const tags = ['1.4.2', '1.4', '1', 'sha-3f2a9c0'].map((t) => `${image}:${t}`);
    expect(result.outputs.tags).toBe(tags.join('\n'));
    expect(result.outputs.image).toBe(tags[0]);
    expect(JSON.parse(result.outputs.vulnerabilities!)).toEqual({ CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 0 });
    expect(JSON.parse(readFileSync(result.outputs['sbom-path']!, 'utf8')).bomFormat).toBe('CycloneDX');
    expect(JSON.parse(readFileSync(result.outputs['sarif-path']!, 'utf8')).version).toBe('2.1.0');
    expect(JSON.parse(readFileSync(result.outputs['report-path']!, 'utf8')).SchemaVersion).toBe(2);
    const digest = result.outputs.digest!;
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(result.summary).toContain(`✅ ${tags[0]} pushed as ${digest}; scan passed`);

    const registry = new OciRegistry({ host: SHARED_REGISTRY });
    for (const tag of ['1.4.2', '1.4', '1', 'sha-3f2a9c0']) expect(await registry.headDigest(`sidhe-e2e-${unique}/shop`, tag)).toBe(digest);
    await docker('rmi', ...tags);
    const byDigest = `${image}@${digest}`;
    expect((await docker('pull', byDigest)).exitCode).toBe(0);
    const labels = JSON.parse((await docker('image', 'inspect', '--format', '{{json .Config.Labels}}', byDigest)).stdout);
    expect(labels).toMatchObject({
      [OCI.source]: 'https://github.com/acme/shop',
      [OCI.revision]: SHA,
      [OCI.version]: '1.4.2',
      [ENVIRONMENT_LABEL]: 'staging',
      'com.acme.team': 'payments',
    });
    expect(Date.now() - Date.parse(labels[OCI.created])).toBeLessThan(10 * 60_000);
    const greeting = await docker('run', '--rm', '--network', 'none', byDigest);
    expect(greeting.stdout).toBe('hello from 1.4.2\n');
    await docker('rmi', byDigest);
  });

  it('fails a planted secret naming the finding, pushes nothing, and scans production even when scan is off', async () => {
    const image = `${SHARED_REGISTRY}/sidhe-e2e-${unique}/leaky`;
    const result = await run(
      { image, ref: 'refs/heads/main', environment: 'production', scan: 'false', push: 'true', 'events-redis-url': REDIS_URL },
      multiStageContext(secretFiles()),
    );
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([
      `build-scan-image failed: ${image}:main has 1 finding(s) at or above HIGH: secret aws-access-key-id (AWS Access Key ID, CRITICAL) in /app/credentials:2; nothing was pushed`,
    ]);
    expect(result.warnings).toContain('scanning although scan is off: image_lifecycle.production.security_scanning is required');
    expect(JSON.parse(result.outputs.vulnerabilities!)).toMatchObject({ CRITICAL: 1 });
    expect(result.outputs.digest).toBeUndefined();
    expect(result.summary).toContain('| CRITICAL | aws-access-key-id: AWS Access Key ID | secret | /app/credentials:2 |');
    expect(result.stdout + result.summary).not.toContain(PLANTED_AWS_KEY);
    expect(await new OciRegistry({ host: SHARED_REGISTRY }).listTags(`sidhe-e2e-${unique}/leaky`)).toEqual([]);
    await docker('rmi', `${image}:main`, `${image}:sha-3f2a9c0`);

    // Each step went to the event bus, one operation, ending in the failure.
    const reader = await connectedRedis(REDIS_URL);
    const { events } = await recentEvents(reader, 20, { environment: 'production' });
    await closeConnection(reader);
    const ours = events.filter((e) => e.action === 'build-scan-image' && e.image === `${image}:main`);
    expect(ours.map((e) => [e.type, e.outcome])).toEqual([
      ['image.built', undefined],
      ['image.scanned', 'failed'],
      ['image.failed', undefined],
    ]);
    expect(new Set(ours.map((e) => e.operation)).size).toBe(1);
    expect(ours.at(-1)!.message).toContain('has 1 finding(s) at or above HIGH');
  });

  it('passes the same image while an ignore with a reason holds, and says so in the summary', async () => {
    const workspace = multiStageContext(secretFiles());
    mkdirSync(path.join(workspace, '.sidhe'));
    writeFileSync(
      path.join(workspace, '.sidhe', 'scan-ignore.yaml'),
      'secrets:\n  - id: aws-access-key-id\n    statement: revoked fixture key\n    expired_at: 2999-12-31\n',
    );
    const tag = `sidhe-e2e-${unique}/ignored:1`;
    const result = await run({ tags: tag, 'ignore-file': '.sidhe/scan-ignore.yaml' }, workspace);
    expect(result.exitCode, result.stdout).toBe(0);
    expect(result.summary).toContain(
      'ignored until 2999-12-31: secret aws-access-key-id (AWS Access Key ID, CRITICAL) in /app/credentials:2; revoked fixture key',
    );
    await docker('rmi', tag);
  });
});

describe('retention through the bundle, on a registry holding 20 tags across environments', () => {
  const repository = `sidhe-e2e-${unique}/retained`;
  const image = `${SHARED_REGISTRY}/${repository}`;
  const now = Date.now();
  // [tag, environment, age in days]
  const seeded: [string, string, number][] = [
    ...([1, 3, 5, 10, 20, 35, 40, 50, 60, 70] as const).map((age) => [`stg-${age}d`, 'staging', age] as [string, string, number]),
    ...([100, 200, 300, 400, 500] as const).map((age) => [`prod-${age}d`, 'production', age] as [string, string, number]),
    ...([2, 4, 8, 16, 32] as const).map((age) => [`dev-${age}d`, 'development', age] as [string, string, number]),
  ];
  const rename: Record<string, string> = { 'stg-60d': '2.0.0', 'prod-500d': 'latest' };
  const tagOf = (tag: string) => rename[tag] ?? tag;

  beforeAll(async () => {
    for (const [tag, environment, age] of seeded) {
      await pushTestImage(SHARED_REGISTRY, repository, [tagOf(tag)], {
        seed: `${unique}-${tag}`,
        labels: { [ENVIRONMENT_LABEL]: environment, [OCI.created]: new Date(now - age * DAY).toISOString() },
      });
    }
    // The release deployed in staging runs stg-50d: a container labelled as deploy-blue-green labels it.
    const deployed = `${image}:stg-50d`;
    expect((await docker('pull', deployed)).exitCode).toBe(0);
    const digest = (await new OciRegistry({ host: SHARED_REGISTRY }).headDigest(repository, 'stg-50d'))!;
    const labels = encodeReleaseLabels({
      app: 'retained',
      environment: 'staging',
      colour: 'blue',
      release: `r20261001000000-${digest.slice(7, 19)}`,
      image: deployed,
      imageDigest: digest,
      deployedAt: '2026-10-01T00:00:00.000Z',
      port: 18_080,
    });
    const name = `sidhe-retained.staging-blue-${unique}`;
    containers.push(name);
    const created = await docker('create', '--name', name, ...Object.entries(labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]), deployed, 'none');
    expect(created.exitCode, created.stderr).toBe(0);
  });

  it('deletes exactly what the staging policy says (keep 5, 30 days), keeping the deployed and the protected tags and other environments', async () => {
    const staging = seeded.filter(([, environment]) => environment === 'staging').map(([tag]) => tagOf(tag));
    // The seed's other environments, and what the other tests here pushed to theirs.
    const others = (await new OciRegistry({ host: SHARED_REGISTRY }).listTags(repository)).filter((t) => !staging.includes(t)).length;
    const result = await run({ tags: `${image}:stg-new`, environment: 'staging', push: 'true' });
    expect(result.exitCode, result.stdout).toBe(0);
    expect(result.outputs.deleted!.split('\n').sort()).toEqual(['stg-35d', 'stg-40d', 'stg-70d']);
    const left = await new OciRegistry({ host: SHARED_REGISTRY }).listTags(repository);
    const all = [...seeded.map(([tag]) => tagOf(tag)), 'stg-new'];
    // Of what the seed and this test pushed: the other tests here push their own tags beside them.
    expect(left.filter((t) => all.includes(t)).sort()).toEqual(all.filter((t) => !['stg-35d', 'stg-40d', 'stg-70d'].includes(t)).sort());
    expect(result.summary).toContain('| stg-50d | kept | in use by release r20261001000000-');
    expect(result.summary).toContain('| 2.0.0 | kept | tag 2.0.0 is protected |');
    expect(result.summary).toContain('| stg-20d | kept | 20 day(s) old, within 30 days |');
    expect(result.summary).toContain('| stg-70d | deleted | 70 days old (over 30) and not among the 5 newest |');
    expect(result.summary).toContain(`${others} image(s) of other environments untouched`);
    await docker('rmi', `${image}:stg-new`);
  });

  it('dry-run reports what production’s policy (keep 3, 90 days) would delete, and deletes nothing', async () => {
    const result = await run({ tags: `${image}:prod-new`, environment: 'production', push: 'true', 'dry-run': 'true' });
    expect(result.exitCode, result.stdout).toBe(0);
    expect(result.outputs.deleted!.split('\n').sort()).toEqual(['prod-300d', 'prod-400d']);
    expect(await new OciRegistry({ host: SHARED_REGISTRY }).listTags(repository)).toEqual(expect.arrayContaining(['prod-300d', 'prod-400d', 'latest']));
    expect(result.summary).toContain('| prod-400d | would delete |');
    expect(result.summary).toContain('| latest | kept | tag latest is protected |');
    await docker('rmi', `${image}:prod-new`);
  });

  it('takes the GHCR path through the Packages API (a documented fake) when registry-type is ghcr', async () => {
    const ghcrRepo = `sidhe-e2e-${unique}/ghcr`;
    const versions = [];
    for (const [i, age] of [5, 50, 60].entries()) {
      const digest = await pushTestImage(SHARED_REGISTRY, ghcrRepo, [`v-${age}d`], {
        seed: `${unique}-ghcr-${age}`,
        labels: { [ENVIRONMENT_LABEL]: 'staging', [OCI.created]: new Date(now - age * DAY).toISOString() },
      });
      versions.push({
        id: 100 + i,
        name: digest,
        created_at: new Date(now - age * DAY).toISOString(),
        metadata: { package_type: 'container' as const, container: { tags: [`v-${age}d`] } },
      });
    }
    const fake = new FakeGitHubPackages('ghs_e2e', [{ ownerKind: 'orgs', owner: `sidhe-e2e-${unique}`, name: 'ghcr', versions }]);
    try {
      const result = await run(
        {
          tags: `${SHARED_REGISTRY}/${ghcrRepo}:v-new`,
          environment: 'staging',
          push: 'true',
          username: 'sidhe-bot',
          password: 'ghs_e2e',
          'registry-type': 'ghcr',
          'github-api-url': await fake.start(),
          config: '.sidhe/devops.yaml',
        },
        workspaceWith('image_lifecycle:\n  staging: { cleanup_policy: keep_latest_1, retention_days: 30 }\n'),
      );
      expect(result.exitCode, result.stdout).toBe(0);
      expect(result.outputs.deleted!.split('\n').sort()).toEqual(['v-50d', 'v-60d']);
      expect(fake.requests.filter((r) => r.startsWith('DELETE')).sort()).toEqual([
        `DELETE /orgs/sidhe-e2e-${unique}/packages/container/ghcr/versions/101`,
        `DELETE /orgs/sidhe-e2e-${unique}/packages/container/ghcr/versions/102`,
      ]);
      expect(unmasked(result.stdout, 'ghs_e2e')).toBe(true);
    } finally {
      await fake.stop();
      await docker('rmi', `${SHARED_REGISTRY}/${ghcrRepo}:v-new`);
    }
  });
});

/** The password is masked before anything is printed, and appears nowhere but in that mask command. */
function unmasked(output: string, password: string): boolean {
  return output.startsWith(`::add-mask::${password}\n`) && !output.slice(`::add-mask::${password}\n`.length).includes(password);
}

function workspaceWith(config: string): string {
  const workspace = multiStageContext();
  mkdirSync(path.join(workspace, '.sidhe'));
  writeFileSync(path.join(workspace, '.sidhe', 'devops.yaml'), config);
  return workspace;
}

describe('build-scan-image rejects bad input with a clear error', () => {
  it('names a missing Dockerfile', async () => {
    const workspace = multiStageContext();
    const result = await run({ tags: 'x/y:1', file: 'docker/Dockerfile.prod' }, workspace);
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([
      `build-scan-image failed: file: no Dockerfile at ${path.join(workspace, 'docker/Dockerfile.prod')}; give file, relative to the workspace`,
    ]);
  });

  it('names a bad build-arg line without its value', async () => {
    const result = await run({ tags: 'x/y:1', 'build-args': 'VERSION=1\nAPI TOKEN=s3cret' });
    expect(result.errors).toEqual([
      'build-scan-image failed: build-args: "line 2 (API TOKEN=…)" is not valid; use NAME=value, one a line (NAME of letters, digits and _, not starting with a digit)',
    ]);
    expect(result.stdout).not.toContain('s3cret');
  });

  it('names an unreachable registry', async () => {
    const port = await freeLoopbackPort();
    const tag = `127.0.0.1:${port}/acme/shop:1`;
    const result = await run({ tags: tag, push: 'true' });
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toMatch(
      new RegExp(
        `^build-scan-image failed: registry 127\\.0\\.0\\.1:${port} is unreachable from the Docker engine \\(pushing ${tag.replace(/[.]/g, '\\.')}\\): .*connection refused`,
      ),
    );
    await docker('rmi', tag);
  });

  it('names refused credentials, and never prints the password', async () => {
    const secured = await startRegistry({ htpasswd: HTPASSWD_FIXTURE });
    try {
      const tag = `${secured.host}/acme/shop:1`;
      const result = await run({ tags: tag, push: 'true', username: TEST_USER.username, password: 'not-the-password' });
      expect(result.exitCode).toBe(1);
      expect(result.errors[0]).toMatch(
        new RegExp(
          `^build-scan-image failed: registry ${secured.host.replace(/[.]/g, '\\.')} refused the credentials of user sidhe; check username and password`,
        ),
      );
      expect(unmasked(result.stdout + result.stderr, 'not-the-password')).toBe(true);
      await docker('rmi', tag);
    } finally {
      await secured.stop();
    }
  });

  it.each([
    [{}, 'give image (e.g. ghcr.io/acme/shop) to derive tags from the Git ref, or tags'],
    [{ tags: 'acme/shop' }, 'tags: "acme/shop" is not valid; give each reference a tag and no digest, e.g. ghcr.io/acme/shop:1.4.2'],
    [{ tags: 'x/y:1', 'severity-threshold': 'SEVERE' }, 'severity-threshold: "SEVERE" is not valid; use one of: LOW, MEDIUM, HIGH, CRITICAL'],
    [{ tags: 'x/y:1', scanners: 'secret,licenses' }, 'scanners: "licenses" is not valid; use one of: vuln, secret, misconfig'],
    [{ tags: 'x/y:1', 'ignore-file': 'missing.yaml' }, 'ignore-file: "missing.yaml" not found in the workspace'],
    [{ tags: 'x/y:1', username: 'bot' }, 'give both username and password, or neither (only username was given)'],
    [
      { tags: 'ghcr.io/acme/shop:1', push: 'true', environment: 'staging' },
      'retention on GHCR deletes through GitHub’s Packages API: give username and password (a token with read:packages and delete:packages), or set retention: false',
    ],
  ])('%j', async (inputs, message) => {
    const result = await run(inputs);
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([`build-scan-image failed: ${message}`]);
  });
});
