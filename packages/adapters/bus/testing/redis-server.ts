import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeConnection, openConnection, redisConnection, type RedisConnection } from '../redis-connection.ts';
import { freePort } from '../../../../test/support/local-servers.ts';

/**
 * A private redis-server for tests that stop and start it: its own port on 127.0.0.1 and no
 * persistence, so a restart comes back empty, as a Redis without a volume would.
 */
export interface RedisServerProcess {
  url: string;
  /** Stops the server (SIGTERM) and waits for it to exit; start() brings it back on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it for good and removes its directory. */
  remove(): Promise<void>;
}

export async function startRedisServer(): Promise<RedisServerProcess> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'sidhe-redis-'));
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;

  const start = async (): Promise<void> => {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--loglevel', 'warning'];
    const started = spawn('redis-server', args, { stdio: 'ignore' });
    child = started;
    const deadline = Date.now() + 10_000;
    while (!(await redisAnswers(url))) {
      if (started.exitCode !== null) throw new Error(`redis-server on port ${port} exited with ${started.exitCode}`);
      if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not answer within 10s`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  const stop = async (): Promise<void> => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = once(running, 'exit');
    running.kill('SIGTERM');
    await exited;
  };

  await start();
  return {
    url,
    start,
    stop,
    async remove() {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Whether a Redis answers PING at `url`, within a second or so. */
export async function redisAnswers(url: string): Promise<boolean> {
  const client = await redisConnection(url, { connectTimeoutMs: 1_000, onError: () => undefined });
  try {
    await openConnection(client);
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    await closeConnection(client, 0);
  }
}

/** A connected client for a test to read, subscribe or check with; close it with closeConnection. */
export async function connectedRedis(url: string): Promise<RedisConnection> {
  const client = await redisConnection(url, { connectTimeoutMs: 2_000, onError: () => undefined });
  await openConnection(client);
  return client;
}
