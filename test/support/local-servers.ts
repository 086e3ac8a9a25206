import http from 'node:http';
import net, { type AddressInfo } from 'node:net';

/**
 * Real servers on 127.0.0.1 ephemeral ports for tests, and a way to close them all. Each test file
 * makes its own `LocalServers` and calls closeAll() in afterAll.
 */
export class LocalServers {
  private readonly closers: (() => Promise<void>)[] = [];

  async listen(server: net.Server): Promise<number> {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.closers.push(
      () =>
        new Promise((resolve) => {
          if (server instanceof http.Server) server.closeAllConnections();
          server.close(() => resolve());
        }),
    );
    return (server.address() as AddressInfo).port;
  }

  /** An HTTP server; returns its base URL. */
  async http(handler: http.RequestListener): Promise<string> {
    return `http://127.0.0.1:${await this.listen(http.createServer(handler))}`;
  }

  /** A TCP listener that accepts and closes; returns its port. */
  async tcp(): Promise<number> {
    return this.listen(net.createServer((socket) => socket.end()));
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.closers.splice(0).map((close) => close()));
  }
}

/** A handler answering `status` with `body` after `delayMs`. */
export const reply =
  (status: number, body = 'ok', delayMs = 0): http.RequestListener =>
  (_req, res) => {
    setTimeout(() => res.writeHead(status, { 'content-type': 'text/plain' }).end(body), delayMs);
  };

/** A port nothing listens on now: taken from the kernel, then let go. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
