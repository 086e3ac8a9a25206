/**
 * Test helpers around Debian's docker-registry: the shared instance scripts/services.sh starts, and
 * extra instances a test starts itself (htpasswd or Bearer token auth, or deletes off) on a free port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** The registry scripts/services.sh starts: plain HTTP on loopback, deletes enabled. */
export const SHARED_REGISTRY = '127.0.0.1:15000';

/** The test credential of test/fixtures/images/registry-htpasswd. */
export const TEST_USER = { username: 'sidhe', password: 'sidhe-test-password' };
export const HTPASSWD_FIXTURE = path.resolve(import.meta.dirname, '../../../../test/fixtures/images/registry-htpasswd');

export interface RegistryInstance {
  host: string;
  stop(): Promise<void>;
}

export async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface RegistryAuth {
  /** Basic auth against this htpasswd file. */
  htpasswd?: string;
  /** Bearer token auth: the token service's realm, service and issuer, and the certificate it signs with. */
  token?: { realm: string; service: string; issuer: string; rootCertBundle: string };
}

/** Starts another docker-registry on 127.0.0.1 with its own storage, and the auth asked for. */
export async function startRegistry(options: RegistryAuth & { deletes?: boolean } = {}): Promise<RegistryInstance> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sidhe-registry-'));
  const port = await freeLoopbackPort();
  const host = `127.0.0.1:${port}`;
  const { htpasswd, token } = options;
  const auth = htpasswd
    ? `auth:\n  htpasswd: { realm: sidhe-test, path: ${htpasswd} }\n`
    : token
      ? `auth:\n  token: { realm: "${token.realm}", service: ${token.service}, issuer: ${token.issuer}, rootcertbundle: ${token.rootCertBundle} }\n`
      : '';
  writeFileSync(
    path.join(dir, 'config.yml'),
    `version: 0.1\nlog: { level: error }\nstorage:\n  filesystem: { rootdirectory: ${dir}/data }\n  delete: { enabled: ${options.deletes ?? true} }\nhttp: { addr: ${host} }\n${auth}`,
  );
  const child: ChildProcess = spawn('docker-registry', ['serve', path.join(dir, 'config.yml')], { stdio: 'ignore' });
  const deadline = Date.now() + 15_000;
  for (;;) {
    const answer = await fetch(`http://${host}/v2/`).catch(() => undefined);
    if (answer) break;
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill('SIGKILL');
      throw new Error(`docker-registry did not start on ${host}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    host,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
