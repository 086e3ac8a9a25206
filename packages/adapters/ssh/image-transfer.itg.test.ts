import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHostBed, type HostBed } from '../../../test/support/host-bed.ts';
import { buildSampleBase } from '../../../test/support/sample-variant.ts';
import { DOCKER_HOST } from '../../../test/support/services.ts';
import { ActionFailure } from '../../core/errors.ts';
import { DockerCli } from '../docker/docker-cli.ts';
import { transferImage } from './image-transfer.ts';
import type { SshConnection } from './ssh-connection.ts';

const image = `sidhe-ssh-transfer-${process.pid}:1.0.0`;
const runner = new DockerCli({ dockerHost: DOCKER_HOST });
let bed: HostBed;
let host: SshConnection;

beforeAll(async () => {
  bed = await startHostBed({ hosts: 1 });
  await buildSampleBase(image);
  host = await bed.connect(0);
});

afterAll(async () => {
  await host?.close();
  await bed?.close();
  await runner.run(['image', 'rm', '--force', image]);
});

describe('transferImage', () => {
  it("streams an image only the runner has into the host's engine, with the same ID, and the host runs it", async () => {
    expect((await host.exec(['docker', 'image', 'inspect', image])).exitCode).not.toBe(0);
    const id = await transferImage(runner, host, image);
    expect(id).toBe((await runner.check('inspect', ['image', 'inspect', '--format', '{{.Id}}', image])).trim());
    expect((await host.exec(['docker', 'image', 'inspect', '--format', '{{.Id}}', image])).stdout.trim()).toBe(id);
    const run = await host.exec(['docker', 'run', '--rm', '--network', 'host', '--entrypoint', '/bin/busybox', image, 'echo', 'ran on the host']);
    expect(run).toMatchObject({ exitCode: 0, stdout: 'ran on the host\n' });
  });

  it('fails naming the image when the runner does not have it', async () => {
    await expect(transferImage(runner, host, `sidhe-ssh-transfer-missing-${process.pid}:0`)).rejects.toThrow(ActionFailure);
  });
});
