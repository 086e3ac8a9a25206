import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../../../test/support/local-servers.ts';

/** A private tinyproxy (Debian's `tinyproxy`): its own config, port on 127.0.0.1 and log. */
export interface ForwardProxy {
  url: string;
  /** The log so far: each request it forwarded shows as `Request ...: CONNECT host:port` or `GET http://...`. */
  log(): Promise<string>;
  stop(): Promise<void>;
}

async function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.end();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

export async function startTinyproxy(): Promise<ForwardProxy> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'sidhe-tinyproxy-'));
  const logFile = join(dir, 'tinyproxy.log');
  // No ConnectPort lines: CONNECT to any port (undici's ProxyAgent tunnels plain HTTP too).
  const config = [`Port ${port}`, 'Listen 127.0.0.1', 'Timeout 30', `LogFile "${logFile}"`, 'LogLevel Connect', 'MaxClients 20', 'Allow 127.0.0.1', ''].join(
    '\n',
  );
  await writeFile(join(dir, 'tinyproxy.conf'), config);
  const child = spawn('tinyproxy', ['-d', '-c', join(dir, 'tinyproxy.conf')], { stdio: 'ignore' });
  const deadline = Date.now() + 10_000;
  while (!(await accepts(port))) {
    if (child.exitCode !== null) throw new Error(`tinyproxy on port ${port} exited with ${child.exitCode}`);
    if (Date.now() > deadline) throw new Error(`tinyproxy on port ${port} did not listen within 10s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    log: () => readFile(logFile, 'utf8').catch(() => ''),
    async stop() {
      if (child.exitCode === null) {
        const exited = once(child, 'exit');
        child.kill('SIGTERM');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
