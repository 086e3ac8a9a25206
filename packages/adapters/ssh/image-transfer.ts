import { ActionFailure } from '../../core/errors.ts';
import { dockerWords, type DockerCli } from '../docker/docker-cli.ts';
import type { SshConnection } from './ssh-connection.ts';

const TRANSFER_TIMEOUT_MS = 15 * 60_000;

/**
 * Streams an image only the runner has to a host: `docker save` on the runner piped into
 * `docker load` on the host over the connection, never held in memory or on disk. The host must end
 * up with the same image ID (the digest of its config), else the transfer failed. Returns the ID.
 */
export async function transferImage(from: DockerCli, to: SshConnection, image: string, timeoutMs = TRANSFER_TIMEOUT_MS): Promise<string> {
  const id = await imageId(from, image);
  const save = from.stream(['save', image]);
  const saveErrors: Buffer[] = [];
  save.stderr.on('data', (chunk: Buffer) => saveErrors.push(chunk));
  const saved = new Promise<number>((resolve) => save.on('close', (code) => resolve(code ?? 1)));
  try {
    const load = await to.exec(['docker', 'load', '--quiet'], { stdin: save.stdout, timeoutMs });
    const saveCode = await saved;
    if (saveCode !== 0) throw new ActionFailure(`docker save ${image} failed on the runner: ${dockerWords(Buffer.concat(saveErrors).toString('utf8'))}`);
    if (load.exitCode !== 0) throw new ActionFailure(`docker load of ${image} failed on ${to.host.url}: ${dockerWords(load.stderr)}`);
  } finally {
    save.kill('SIGKILL');
  }
  const remote = await to.exec(['docker', 'image', 'inspect', '--format', '{{.Id}}', image]);
  const remoteId = remote.stdout.trim();
  if (remote.exitCode !== 0 || remoteId !== id) {
    throw new ActionFailure(`image ${image} reached ${to.host.url} as ${remoteId || 'nothing'} instead of ${id}: ${dockerWords(remote.stderr)}`);
  }
  return id;
}

async function imageId(cli: DockerCli, image: string): Promise<string> {
  return (await cli.check(`reading image ${image} on the runner`, ['image', 'inspect', '--format', '{{.Id}}', image])).trim();
}
