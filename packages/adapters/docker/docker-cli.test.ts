import { describe, expect, it } from 'vitest';
import { ActionFailure, ConfigurationError } from '../../core/errors.ts';
import type { CommandResult } from '../process/run-command.ts';
import { DockerCli, dockerWords, isUnreachable } from './docker-cli.ts';

/** A docker that answers every call with `answer` and remembers the arguments. */
function fakeDocker(answer: Partial<CommandResult>) {
  const calls: { args: readonly string[]; env: NodeJS.ProcessEnv | undefined }[] = [];
  const run = async (_file: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv } = {}) => {
    calls.push({ args, env: options.env });
    return { exitCode: 0, stdout: '', stderr: '', timedOut: false, ...answer };
  };
  return { calls, run };
}

// What docker 28 printed for each way of not reaching an engine.
const UNREACHABLE = [
  'Cannot connect to the Docker daemon at unix:///nonexistent.sock. Is the docker daemon running?',
  'error during connect: Get "http://docker.example.com/v1.50/containers/json": command [ssh -o ConnectTimeout=30 -T -l nobody -p 1 -- 127.0.0.1 docker system dial-stdio] has exited with exit status 255, make sure the URL is valid, and Docker 18.09 or later is installed on the remote host: stderr=ssh: connect to host 127.0.0.1 port 1: Connection refused',
  'permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock: Get "http://%2Fvar%2Frun%2Fdocker.sock/v1.50/containers/json": dial unix /var/run/docker.sock: connect: permission denied',
];

describe('DockerCli', () => {
  it('passes an explicit docker-host as --host on every call, and names it', async () => {
    const docker = fakeDocker({ stdout: 'ok' });
    const cli = new DockerCli({ dockerHost: 'ssh://deploy@web1', env: { DOCKER_HOST: 'unix:///other.sock' }, run: docker.run });
    expect(await cli.check('listing', ['ps'])).toBe('ok');
    expect(docker.calls[0]?.args).toEqual(['--host', 'ssh://deploy@web1', 'ps']);
    expect(cli.describe()).toBe('Docker engine at ssh://deploy@web1');
  });

  it('otherwise leaves DOCKER_HOST to docker and names it in messages', async () => {
    const docker = fakeDocker({ exitCode: 1, stderr: `${UNREACHABLE[0]}\n` });
    const env = { DOCKER_HOST: 'unix:///nonexistent.sock' };
    const cli = new DockerCli({ env, run: docker.run });
    await expect(cli.run(['ps'])).rejects.toThrow(new ActionFailure(`Docker engine at unix:///nonexistent.sock is unreachable: ${UNREACHABLE[0]}`));
    expect(docker.calls[0]).toEqual({ args: ['ps'], env });
  });

  it('refuses a host it cannot use, naming the input', () => {
    expect(() => new DockerCli({ dockerHost: 'docker:2375' })).toThrow(ConfigurationError);
    expect(() => new DockerCli({ env: { DOCKER_HOST: 'http://x' } })).toThrow(/^DOCKER_HOST: "http:\/\/x" is not valid/);
  });

  it('says which call timed out', async () => {
    const cli = new DockerCli({ env: {}, run: fakeDocker({ exitCode: 137, timedOut: true }).run, timeoutMs: 30_000 });
    await expect(cli.run(['pull', 'x'])).rejects.toThrow('Docker engine at the default Docker context did not answer `docker pull` within 30s');
  });
});

describe('isUnreachable', () => {
  it("knows the CLI's words for an engine it never reached", () => {
    for (const words of UNREACHABLE) expect(isUnreachable(words)).toBe(true);
  });

  it("does not mistake an engine's own error for an unreachable engine", () => {
    const pullFailed =
      'Error response from daemon: Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io on 10.255.255.53:53: no such host';
    expect(isUnreachable(pullFailed)).toBe(false);
    expect(dockerWords(`Using default tag: latest\n${pullFailed}\n`)).toBe(pullFailed.replace('Error response from daemon: ', ''));
  });
});
