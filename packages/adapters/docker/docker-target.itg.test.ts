import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../test/support/local-servers.ts';
import { DOCKER_HOST } from '../../../test/support/services.ts';
import { containerName, releaseId, type Colour, type ReleaseLabels } from '../../core/deploy/release.ts';
import { ActionFailure } from '../../core/errors.ts';
import type { Logger } from '../../core/logger.ts';
import { runCommand } from '../process/run-command.ts';
import { DockerTarget } from './docker-target.ts';

const env = { ...process.env, DOCKER_HOST };
const id = `tgt${process.pid}x${Date.now().toString(36)}`;
const app = id;
const image = `sidhe-target-itg-${id}:v1`;
const SECRET = `s3cret-${id}-value`;

/** Every docker argument array and stdin the target sends, and every message it logs. */
const calls: { args: readonly string[]; input: string }[] = [];
const messages: string[] = [];
const logger: Logger = {
  debug: (m) => messages.push(m),
  info: (m) => messages.push(m),
  warning: (m) => messages.push(m),
  error: (m) => messages.push(m),
};
const target = new DockerTarget({
  env,
  logger,
  settleMs: 500,
  run: (file, args, options) => {
    calls.push({ args, input: options?.input ?? '' });
    return runCommand(file, args, options);
  },
});

async function docker(...args: string[]): Promise<string> {
  const result = await runCommand('docker', args, { env, timeoutMs: 60_000 });
  if (result.exitCode !== 0) throw new Error(`docker ${args.join(' ')}: ${result.stderr}`);
  return result.stdout.trim();
}

let digest = '';
async function labelsFor(environment: string, colour: Colour, port: number): Promise<ReleaseLabels> {
  const deployedAt = new Date();
  return {
    app,
    environment,
    colour,
    release: releaseId(deployedAt, digest),
    image,
    imageDigest: digest,
    commit: 'abc1234',
    actor: 'itg',
    deployedAt: deployedAt.toISOString(),
    port,
  };
}

beforeAll(async () => {
  const built = await runCommand('bash', ['scripts/build-sample-image.sh', image, 'v1'], { env, timeoutMs: 90_000 });
  if (built.exitCode !== 0) throw new Error(`building ${image}: ${built.stderr}`);
  digest = await target.imageDigest(image);
});

afterAll(async () => {
  const ids = (await docker('ps', '--all', '--quiet', '--filter', `label=dev.sidhe.app=${app}`)).split('\n').filter(Boolean);
  if (ids.length > 0) await docker('rm', '--force', ...ids);
  await runCommand('docker', ['rmi', image], { env });
});

describe('DockerTarget on a real engine', () => {
  it('starts the sample service with its labels, port and env, and finds it by labels', async () => {
    const port = await freePort();
    const labels = await labelsFor('prod', 'blue', port);
    const started = await target.start({ labels, env: { API_TOKEN: SECRET, GREETING: 'hello world' } });
    const name = containerName(app, 'prod', 'blue');
    expect(started).toMatchObject({ name, trusted: true, labels, status: { state: 'running', running: true } });
    expect(await (await fetch(`http://127.0.0.1:${port}/version`)).text()).toBe('v1\n');

    const listed = await target.list({ app, environment: 'prod' });
    expect(listed.map((c) => [c.name, c.trusted && c.labels.release])).toEqual([[name, labels.release]]);
    expect(await target.list({ app, environment: 'staging' })).toEqual([]);

    expect(await docker('inspect', '--format', '{{.HostConfig.RestartPolicy.Name}}', name)).toBe('unless-stopped');
    // Docker itself keeps the env in the container's config; what we control is that it went there by file.
    const containerEnv = JSON.parse(await docker('inspect', '--format', '{{json .Config.Env}}', name)) as string[];
    expect(containerEnv).toEqual(expect.arrayContaining([`API_TOKEN=${SECRET}`, 'GREETING=hello world', `PORT=${port}`]));
  });

  it('never puts an env value on a command line or in a message', () => {
    expect(calls.length).toBeGreaterThan(0);
    for (const { args, input } of calls) {
      expect(args.join(' ')).not.toContain(SECRET);
      expect(args.join(' ')).not.toContain('hello world');
      expect(input).not.toContain(SECRET);
    }
    expect(messages.join('\n')).not.toContain(SECRET);
    expect(calls.find(({ args }) => args[0] === 'run')?.args).toContain('--env-file');
  });

  it('refuses to start a colour whose container exists; stop and remove are safe to repeat', async () => {
    const name = containerName(app, 'prod', 'blue');
    const labels = await labelsFor('prod', 'blue', await freePort());
    await expect(target.start({ labels })).rejects.toThrow(`container ${name} already exists on the Docker engine at ${DOCKER_HOST}`);
    await target.stop(name, { graceMs: 1_000 });
    expect((await target.inspect(name))?.status).toMatchObject({ running: false, state: 'exited' });
    await target.remove(name);
    await target.remove(name);
    await target.stop(name, { graceMs: 0 });
    expect(await target.inspect(name)).toBeUndefined();
  });

  it('reports a container that exits at start, quoting its logs, and leaves it for the caller', async () => {
    const port = await freePort();
    const squatter: Server = createServer();
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
    try {
      const labels = await labelsFor('prod', 'green', port);
      const error = await target.start({ labels }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ActionFailure);
      expect((error as Error).message).toMatch(
        new RegExp(`^container sidhe-${app}\\.prod-green \\(${labels.release}\\) exited at start with exit code 1: .*Address already in use`),
      );
      const left = await target.inspect(containerName(app, 'prod', 'green'));
      expect(left?.status).toMatchObject({ running: false, exitCode: 1, state: 'exited' });
      expect(await target.logs(left!.name, { tail: 5 })).toContain('Address already in use');
    } finally {
      squatter.close();
      await target.remove(containerName(app, 'prod', 'green'));
    }
  });

  it('lists a container with garbled labels as untrusted, with the reason', async () => {
    const name = `${id}-garbled`;
    await docker(
      'create',
      '--name',
      name,
      '--label',
      `dev.sidhe.app=${app}`,
      '--label',
      'dev.sidhe.environment=odd',
      '--label',
      'dev.sidhe.colour=purple',
      image,
    );
    const [listed] = await target.list({ app, environment: 'odd' });
    expect(listed).toMatchObject({ name, trusted: false, status: { state: 'created', running: false } });
    expect(listed?.trusted === false && listed.problem).toMatch(/dev\.sidhe\.colour="purple": use blue or green; .*dev\.sidhe\.release is missing/);
  });

  it("uses the local copy of an image no registry has, and names a missing image with docker's words", async () => {
    await target.pull(image);
    expect(messages.at(-1)).toMatch(new RegExp(`could not pull ${image} \\(.+\\); using the copy already on the Docker engine`));
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);

    const missing = `sidhe-target-itg-${id}:missing`;
    await expect(target.pull(missing)).rejects.toThrow(
      new RegExp(`^image ${missing} cannot be pulled to the Docker engine at ${DOCKER_HOST}, which does not have it: .+`),
    );
    await expect(target.imageDigest(missing)).rejects.toThrow(`image ${missing} is not on the Docker engine at ${DOCKER_HOST}; pull it first`);
    const labels = { ...(await labelsFor('prod', 'blue', await freePort())), image: missing };
    await expect(target.start({ labels })).rejects.toThrow(`image ${missing} is not on the Docker engine`);
  });

  it('gives one clear error when the engine is unreachable, from DOCKER_HOST or the docker-host option', async () => {
    const viaEnv = new DockerTarget({ env: { ...process.env, DOCKER_HOST: 'unix:///nonexistent.sock' } });
    // A unix socket is read through the Engine API: the words are the connection's, the message the same.
    await expect(viaEnv.list({ app, environment: 'prod' })).rejects.toThrow(
      'Docker engine at unix:///nonexistent.sock is unreachable: connect ENOENT /nonexistent.sock',
    );
    const viaOption = new DockerTarget({ env, dockerHost: 'tcp://127.0.0.1:1' });
    await expect(viaOption.pull(image)).rejects.toThrow(/^Docker engine at tcp:\/\/127\.0\.0\.1:1 is unreachable: /);
    expect(() => new DockerTarget({ dockerHost: 'http://docker:2375' })).toThrow(/^docker-host: "http:\/\/docker:2375" is not valid/);
  });
});
