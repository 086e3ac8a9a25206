import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHostBed, type HostBed } from '../../../test/support/host-bed.ts';
import { ActionFailure, ConfigurationError } from '../../core/errors.ts';
import { runCommand } from '../process/run-command.ts';
import { openSshConnection, type SshConnection, type SshConnectionOptions } from './ssh-connection.ts';
import { parseSshHost } from './ssh-host.ts';

let bed: HostBed;
const open: SshConnection[] = [];

beforeAll(async () => {
  bed = await startHostBed({ hosts: 2, router: 'haproxy' });
});

afterAll(async () => {
  await Promise.all(open.map((connection) => connection.close()));
  await bed?.close();
});

async function connect(index: number, extra: Partial<SshConnectionOptions> = {}): Promise<SshConnection> {
  const connection = await openSshConnection({
    host: parseSshHost('hosts', bed.hosts[index]!.url),
    privateKey: bed.privateKey,
    knownHosts: bed.knownHosts,
    ...extra,
  });
  open.push(connection);
  return connection;
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

/** One command to HAProxy's admin socket, its whole answer. */
function adminCommand(socketPath: string, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let answer = '';
    const socket = createConnection(socketPath, () => socket.end(`${command}\n`));
    socket.on('data', (chunk) => (answer += chunk.toString('utf8')));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}

async function sshDirs(): Promise<string[]> {
  return (await readdir(tmpdir())).filter((name) => name.startsWith('sidhe-ssh-'));
}

describe('SSH connection to a bed host', () => {
  it('runs a command and returns its exit code, stdout and stderr', async () => {
    const h1 = await connect(0);
    const result = await h1.exec(['sh', '-c', 'echo out; echo err >&2; exit 3']);
    expect(result).toEqual({ exitCode: 3, stdout: 'out\n', stderr: 'err\n' });
    expect((await h1.exec(['cat'], { input: 'from the runner\n' })).stdout).toBe('from the runner\n');
    // ssh's own failures exit 255 too: with the master alive, a command's 255 is its answer.
    expect((await h1.exec(['sh', '-c', 'exit 255'])).exitCode).toBe(255);
  });

  it('hands every argument over verbatim and runs nothing that hides in one', async () => {
    const h1 = await connect(0);
    const marker = `/tmp/sidhe-ssh-pwned-${process.pid}`;
    const hostile = [
      `$(touch ${marker})`,
      `\`touch ${marker}\``,
      `; touch ${marker}`,
      `| touch ${marker}`,
      `& touch ${marker} &`,
      `\ntouch ${marker}\n`,
      `' ; touch ${marker} ; '`,
      `" ; touch ${marker} ; "`,
      '*',
      '-oProxyCommand=sh',
      '',
      '${HOME} $HOME',
    ];
    const result = await h1.exec(['printf', '%s\\0', ...hostile]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout.split('\0').slice(0, -1)).toEqual(hostile);
    // The bed's hosts share the runner's filesystem: a command run on the host would leave the marker here.
    expect(existsSync(marker)).toBe(false);
  });

  it('stops a command at its timeout and names the host', async () => {
    const h1 = await connect(0);
    const started = Date.now();
    const error = await failure(h1.exec(['sleep', '30'], { timeoutMs: 500 }));
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(error).toBeInstanceOf(ActionFailure);
    expect(error.message).toMatch(/^`sleep` on ssh:\/\/root@10\.213\.1\.2:22 did not finish within /);
  });

  it("opens one TCP connection for many commands and forwards, and reaches the host's own Docker engine through one", async () => {
    const before = await bed.connectionsTo(1);
    const h2 = await connect(1);
    for (let i = 0; i < 10; i++) expect((await h2.exec(['true'])).exitCode).toBe(0);
    const socket = await h2.forwardUnixSocket('/var/run/docker.sock');
    const admin = await h2.forwardUnixSocket('/run/haproxy/admin.sock');
    const version = await runCommand('docker', ['--host', `unix://${socket}`, 'version', '--format', '{{.Server.Version}}'], { timeoutMs: 20_000 });
    expect(version.exitCode).toBe(0);
    const info = await runCommand('docker', ['--host', `unix://${socket}`, 'info', '--format', '{{.Name}} {{.DockerRootDir}}'], { timeoutMs: 20_000 });
    expect(info.stdout.trim()).toMatch(/ \/var\/lib\/docker$/);
    expect(await adminCommand(admin, 'show servers state app')).toMatch(/ app \d+ blue .* app \d+ green /s);
    expect(await bed.connectionsTo(1)).toBe(before + 1);
  });

  it('forwards the sockets it is opened with as the master connects, before anyone asks for them', async () => {
    const before = await bed.connectionsTo(1);
    const h2 = await connect(1, { unixSockets: ['/var/run/docker.sock', '/run/haproxy/admin.sock'] });
    const asked = Date.now();
    await sleep(50);
    const [socket, admin] = [await h2.forwardUnixSocket('/var/run/docker.sock'), await h2.forwardUnixSocket('/run/haproxy/admin.sock')];
    expect((await stat(socket)).mtimeMs).toBeLessThan(asked);
    expect((await stat(admin)).mtimeMs).toBeLessThan(asked);
    const version = await runCommand('docker', ['--host', `unix://${socket}`, 'version', '--format', '{{.Server.Version}}'], { timeoutMs: 20_000 });
    expect(version.exitCode).toBe(0);
    expect(await adminCommand(admin, 'show servers state app')).toMatch(/ app \d+ blue .* app \d+ green /s);
    expect(await bed.connectionsTo(1)).toBe(before + 1);
  });

  it('refuses a start socket it could not forward safely before connecting', async () => {
    const before = await bed.connectionsTo(0);
    const error = await failure(connect(0, { unixSockets: ['/run/x.sock:/etc/shadow'] }));
    expect(error.message).toContain('a forwarded socket path must be absolute, without spaces or colons: "/run/x.sock:/etc/shadow"');
    expect(await bed.connectionsTo(0)).toBe(before);
  });

  it('sees a different engine on each host', async () => {
    const [h1, h2] = [await connect(0), await connect(1)];
    const label = `sidhe-ssh-itg-${process.pid}`;
    const created = await h1.exec(['docker', 'volume', 'create', label]);
    expect(created.exitCode).toBe(0);
    const onH1 = await h1.exec(['docker', 'volume', 'ls', '--quiet']);
    const onH2 = await h2.exec(['docker', 'volume', 'ls', '--quiet']);
    await h1.exec(['docker', 'volume', 'rm', label]);
    expect(onH1.stdout).toContain(label);
    expect(onH2.stdout).not.toContain(label);
    const ids = await Promise.all([h1, h2].map(async (h) => (await h.exec(['docker', 'info', '--format', '{{.ID}}'])).stdout.trim()));
    expect(ids[0]).not.toBe(ids[1]);
  });

  it("forwards a port of the host's loopback to the runner", async () => {
    const h1 = await connect(0);
    await h1.exec(['sh', '-c', 'mkdir -p /run/www && echo hello-from-h1 > /run/www/index.html']);
    const server = h1.exec(['busybox', 'httpd', '-f', '-p', '127.0.0.1:18080', '-h', '/run/www'], { timeoutMs: 30_000 }).catch(() => undefined);
    const port = await h1.forwardTcp(18080);
    let body = '';
    for (let i = 0; i < 50 && body === ''; i++) {
      body = await fetch(`http://127.0.0.1:${port}/`)
        .then((r) => r.text())
        .catch(() => '');
      if (body === '') await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(body).toBe('hello-from-h1\n');
    await h1.exec(['sh', '-c', 'kill $(pidof busybox) 2>/dev/null; true']);
    await server;
  });

  it('refuses a host whose key known-hosts does not hold, naming the host and the key it offered', async () => {
    const other = bed.knownHosts.split('\n')[1]!.split(' ').slice(1).join(' ');
    const wrong = `${bed.hosts[0]!.address} ${other}\n`;
    const error = await failure(connect(0, { knownHosts: wrong }));
    expect(error).toBeInstanceOf(ActionFailure);
    const fingerprint = (await runCommand('ssh-keygen', ['-l', '-f', `${bed.hosts[0]!.dir}/host_key.pub`])).stdout.split(' ')[1]!;
    expect(error.message).toContain(`ssh://root@${bed.hosts[0]!.address}:22 offered host key ED25519 ${fingerprint}, which known-hosts does not trust`);
    expect(error.message).toContain('ssh-keyscan -p 22 10.213.1.2');
  });

  it('refuses an unknown host unless new keys are accepted, and then logs the key it trusted', async () => {
    const unknown = await failure(connect(0, { knownHosts: '' }));
    expect(unknown.message).toMatch(/offered host key ED25519 SHA256:\S+, which known-hosts does not trust/);
    const missing = await failure(connect(0, { knownHosts: undefined }));
    expect(missing).toBeInstanceOf(ConfigurationError);
    expect(missing.message).toMatch(/^known-hosts is required to connect to ssh:\/\/root@10\.213\.1\.2:22/);
    const logged: string[] = [];
    const h1 = await connect(0, { knownHosts: undefined, acceptNewHostKeys: true, log: (line) => logged.push(line) });
    expect((await h1.exec(['true'])).exitCode).toBe(0);
    const fingerprint = (await runCommand('ssh-keygen', ['-l', '-f', `${bed.hosts[0]!.dir}/host_key.pub`])).stdout.split(' ')[1]!;
    expect(logged).toEqual([
      expect.stringContaining(`trusted the host key of ssh://root@10.213.1.2:22 on first use (accept-new-host-keys): 256 ${fingerprint} 10.213.1.2 (ED25519)`),
    ]);
  });

  it('refuses a key the host does not know', async () => {
    const stranger = `${tmpdir()}/sidhe-ssh-itg-stranger-${process.pid}`;
    await runCommand('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', stranger]);
    const { readFile, rm } = await import('node:fs/promises');
    const key = await readFile(stranger, 'utf8');
    await rm(stranger);
    await rm(`${stranger}.pub`);
    const error = await failure(connect(0, { privateKey: key }));
    expect(error.message).toMatch(/^ssh:\/\/root@10\.213\.1\.2:22 refused the key given in ssh-key \(.*Permission denied/);
  });

  it('closes: removes the key and the control socket, refuses new commands, and may be called twice', async () => {
    const before = await sshDirs();
    const h1 = await openSshConnection({ host: parseSshHost('hosts', bed.hosts[0]!.url), privateKey: bed.privateKey, knownHosts: bed.knownHosts });
    const dirs = (await sshDirs()).filter((name) => !before.includes(name));
    expect(dirs).toHaveLength(1);
    expect(existsSync(`${tmpdir()}/${dirs[0]}/key`)).toBe(true);
    await h1.close();
    await h1.close();
    expect(existsSync(`${tmpdir()}/${dirs[0]}`)).toBe(false);
    await expect(h1.exec(['true'])).rejects.toThrow(/is closed/);
  });

  it("fails at once, naming the host, when the host's sshd dies under a live connection", async () => {
    const h2 = await connect(1);
    expect((await h2.exec(['true'])).exitCode).toBe(0);
    await bed.stopSshd(1);
    const started = Date.now();
    const error = await failure(h2.exec(['true'], { timeoutMs: 20_000 }));
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(error).toBeInstanceOf(ActionFailure);
    expect(error.message).toMatch(/^the SSH connection to ssh:\/\/root@10\.213\.2\.2:22 is lost \(.*\); check that the host is up and its sshd is running$/);
    const again = await failure(connect(1, { connectTimeoutMs: 3_000 }));
    expect(again.message).toMatch(/^cannot connect to ssh:\/\/root@10\.213\.2\.2:22: .*Connection refused/);
  });
});
