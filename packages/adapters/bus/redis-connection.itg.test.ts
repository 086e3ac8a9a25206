import { describe, expect, it } from 'vitest';
import { freePort } from '../../../test/support/local-servers.ts';
import { REDIS_URL } from '../../../test/support/services.ts';
import { closeConnection, openConnection, redisConnection } from './redis-connection.ts';
import { startRedisServer } from './testing/redis-server.ts';

const connection = async (url: string) => {
  const errors: string[] = [];
  const client = await redisConnection(url, { connectTimeoutMs: 2_000, onError: (error) => void errors.push(error.message) });
  return { client, errors };
};

describe('redisConnection on a real redis-server', () => {
  it('fails to connect with the cause, not a bare "Connection is closed."', async () => {
    const port = await freePort();
    const { client, errors } = await connection(`redis://127.0.0.1:${port}`);
    await expect(openConnection(client)).rejects.toThrow(`connect ECONNREFUSED 127.0.0.1:${port}`);
    expect(errors[0]).toBe(`connect ECONNREFUSED 127.0.0.1:${port}`);
    await closeConnection(client);
  });

  it('reports the loss of a server that closes cleanly, and rejects a command at once afterwards', async () => {
    const server = await startRedisServer();
    try {
      const { client, errors } = await connection(server.url);
      await openConnection(client);
      await server.stop();
      await expect.poll(() => errors).toEqual(['connection lost']);
      await expect(client.ping()).rejects.toThrow('Connection is closed.');
      await closeConnection(client);
    } finally {
      await server.remove();
    }
  });

  it('reports nothing when closed on purpose, in any state', async () => {
    const idle = await connection(REDIS_URL);
    await closeConnection(idle.client);
    const open = await connection(REDIS_URL);
    await openConnection(open.client);
    expect(await open.client.ping()).toBe('PONG');
    await closeConnection(open.client);
    await closeConnection(open.client);
    await expect.poll(() => open.client.status).toBe('end');
    expect([...idle.errors, ...open.errors]).toEqual([]);
  });
});
