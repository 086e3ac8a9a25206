import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { multiStageContext } from '../../../test/fixtures/images/multi-stage-context.ts';
import { DOCKER_HOST } from '../../../test/support/services.ts';
import { OCI } from '../../core/images/index.ts';
import { runCommand } from '../process/run-command.ts';
import { OciRegistry } from '../registry/oci-registry.ts';
import { freeLoopbackPort, HTPASSWD_FIXTURE, SHARED_REGISTRY, startRegistry, TEST_USER } from '../registry/testing/local-registry.ts';
import { ImageBuilder } from './image-build.ts';

const builder = new ImageBuilder({ dockerHost: DOCKER_HOST });
const docker = (...args: string[]) => runCommand('docker', ['--host', DOCKER_HOST, ...args]);
const name = `sidhe-itg-build-${process.pid}`;
const made: string[] = [];
afterAll(async () => {
  if (made.length > 0) await docker('rmi', '--force', ...made);
});

async function build(tag: string, options: { target?: string; args?: Record<string, string> } = {}) {
  const context = multiStageContext();
  made.push(tag);
  return builder.build({
    context,
    dockerfile: path.join(context, 'Dockerfile'),
    ...(options.target ? { target: options.target } : {}),
    buildArgs: Object.entries(options.args ?? {}).map(([key, value]) => ({ key, value })),
    labels: { [OCI.revision]: 'abc1234', 'com.example.team': 'payments' },
    tags: [tag],
  });
}

describe('ImageBuilder on the real engine', () => {
  it('builds the default stage of a multi-stage Dockerfile with build args and labels', async () => {
    const tag = `${name}:runtime`;
    const result = await build(tag, { args: { VERSION: '1.2.3', GREETING: 'hi' } });
    expect(result.builder).toBe('classic'); // no buildx on this machine
    expect(result.imageId).toMatch(/^sha256:[0-9a-f]{64}$/);
    const greeting = await docker('run', '--rm', '--network', 'none', tag);
    expect(greeting.stdout).toBe('hi from 1.2.3\n');
    const labels = await builder.imageLabels(tag);
    expect(labels).toMatchObject({ [OCI.revision]: 'abc1234', 'com.example.team': 'payments', 'org.opencontainers.image.title': 'sidhe-multi-stage' });
    const noTestOutput = await docker('run', '--rm', '--network', 'none', tag, '/bin/busybox', 'ls', '/out');
    expect(noTestOutput.exitCode).not.toBe(0);
  });

  it('builds a chosen target stage', async () => {
    const tag = `${name}:test-stage`;
    await build(tag, { target: 'test' });
    const tested = await docker('run', '--rm', '--network', 'none', tag, '/bin/busybox', 'cat', '/out/tested');
    expect(tested.stdout).toBe('passed\n');
  });

  it('fails a missing target stage with docker’s words', async () => {
    await expect(build(`${name}:nope`, { target: 'nope' })).rejects.toThrow(
      /docker build failed on the Docker engine at unix:\/\/\/run\/sidhe-docker.sock: .*nope/,
    );
  });

  it('pushes to the registry and pulls the image back by digest', async () => {
    const tag = `${SHARED_REGISTRY}/sidhe-itg/build-${process.pid}:v1`;
    const { imageId } = await build(tag, { args: { VERSION: 'pushed' } });
    const digest = await builder.push(tag);
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await new OciRegistry({ host: SHARED_REGISTRY }).headDigest(`sidhe-itg/build-${process.pid}`, 'v1')).toBe(digest);
    await docker('rmi', tag);
    const byDigest = `${SHARED_REGISTRY}/sidhe-itg/build-${process.pid}@${digest}`;
    const pulled = await docker('pull', byDigest);
    expect(pulled.exitCode, pulled.stderr).toBe(0);
    made.push(byDigest);
    const id = await docker('image', 'inspect', '--format', '{{.Id}}', byDigest);
    expect(id.stdout.trim()).toBe(imageId);
  });

  it('names an unreachable registry', async () => {
    const port = await freeLoopbackPort();
    const tag = `127.0.0.1:${port}/sidhe-itg/unreachable:1`;
    await build(tag);
    await expect(builder.push(tag)).rejects.toThrow(`registry 127.0.0.1:${port} is unreachable from the Docker engine (pushing ${tag}):`);
    await expect(builder.login(`127.0.0.1:${port}`, 'u', 'p')).rejects.toThrow(
      `registry 127.0.0.1:${port} is unreachable from the Docker engine (docker login):`,
    );
  });

  it('logs in with the password on stdin, and names refused credentials', async () => {
    const secured = await startRegistry({ htpasswd: HTPASSWD_FIXTURE });
    try {
      const tag = `${secured.host}/acme/shop:1`;
      await build(tag);
      await expect(builder.push(tag)).rejects.toThrow(`registry ${secured.host} refused the push of ${tag}:`);
      await expect(builder.login(secured.host, 'sidhe', 'wrong-password')).rejects.toThrow(
        `registry ${secured.host} refused the credentials of user sidhe; check username and password (docker login:`,
      );
      await builder.login(secured.host, TEST_USER.username, TEST_USER.password);
      expect(await builder.push(tag)).toMatch(/^sha256:/);
      await builder.logout(secured.host);
    } finally {
      await secured.stop();
    }
  });
});
