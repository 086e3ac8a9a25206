import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { SshConnection } from '../../packages/adapters/ssh/ssh-connection.ts';
import { runCommand } from '../../packages/adapters/process/run-command.ts';
import { startHostBed, type HostBed } from './host-bed.ts';

const beds: HostBed[] = [];
const connections: SshConnection[] = [];

afterAll(async () => {
  await Promise.all(connections.map((connection) => connection.close()));
  for (const bed of beds) await bed.close();
});

async function connect(bed: HostBed, index: number): Promise<SshConnection> {
  const connection = await bed.connect(index);
  connections.push(connection);
  return connection;
}

async function namespaces(): Promise<string> {
  return (await runCommand('ip', ['netns', 'list'])).stdout;
}

describe('host bed', () => {
  it("removes a bed its run left behind, and serves HAProxy on each host's address with its admin socket at the default path", async () => {
    const left = await startHostBed({ hosts: 1, docker: false });
    const leftDir = left.hosts[0]!.dir;
    const bed = await startHostBed({ hosts: 2, router: 'haproxy', docker: false });
    beds.push(bed);
    expect(existsSync(leftDir)).toBe(false);
    expect(await namespaces()).toMatch(/^sidhe-h2\b/m);
    const answer = await fetch(bed.hosts[1]!.frontUrl);
    expect(answer.status).toBe(503); // no server has weight yet: HAProxy itself answers
    const h2 = await connect(bed, 1);
    const socket = await h2.exec(['test', '-S', '/run/haproxy/admin.sock']);
    expect(socket.exitCode).toBe(0);
    await bed.close();
    expect(await namespaces()).not.toMatch(/sidhe-h\d/);
    expect(existsSync(bed.hosts[0]!.dir)).toBe(false);
  });

  it("serves nginx at Debian's paths that only the host sees", async () => {
    const bed = await startHostBed({ hosts: 1, router: 'nginx', docker: false });
    beds.push(bed);
    expect((await fetch(bed.hosts[0]!.frontUrl)).status).toBe(502); // both slots down until a router sets one
    const h1 = await connect(bed, 0);
    const test = await h1.exec(['nginx', '-t', '-c', '/etc/nginx/nginx.conf']);
    expect(test.stderr).toMatch(/test is successful/);
    expect((await h1.exec(['cat', '/etc/nginx/upstreams/app.conf'])).stdout).toMatch(/# slot blue\n.*# slot green\n/s);
    expect(existsSync('/etc/nginx/upstreams/app.conf')).toBe(false);
  });

  it("stops and starts a host's dockerd while its sshd keeps serving", async () => {
    const bed = await startHostBed({ hosts: 1 });
    beds.push(bed);
    const h1 = await connect(bed, 0);
    expect((await h1.exec(['docker', 'info', '--format', '{{.Driver}}'])).stdout.trim()).toBe('vfs');
    await bed.stopDocker(0);
    const down = await h1.exec(['docker', 'info', '--format', '{{.Driver}}']);
    expect(down.exitCode).not.toBe(0);
    expect(down.stderr).toMatch(/Cannot connect to the Docker daemon at unix:\/\/\/var\/run\/docker\.sock/);
    await bed.startDocker(0);
    expect((await h1.exec(['docker', 'info', '--format', '{{.Driver}}'])).stdout.trim()).toBe('vfs');
  });
});
