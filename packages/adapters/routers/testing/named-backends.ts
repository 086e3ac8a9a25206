import { createServer, type Server } from 'node:http';

/**
 * Small HTTP servers on 127.0.0.1 that answer with their own name, so a test behind a router can
 * count where each request went. `/slow?ms=N` answers after N ms: a request still in flight.
 */
export interface NamedBackend {
  name: string;
  /** `127.0.0.1:<port>`, a slot address. */
  address: string;
  close(): Promise<void>;
}

export async function startNamedBackends(names: readonly string[]): Promise<Record<string, NamedBackend>> {
  const backends = await Promise.all(names.map(startNamedBackend));
  return Object.fromEntries(backends.map((backend) => [backend.name, backend]));
}

export function startNamedBackend(name: string): Promise<NamedBackend> {
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://backend');
    const delay = url.pathname === '/slow' ? Number(url.searchParams.get('ms') ?? '1000') : 0;
    const answer = () => {
      response.setHeader('content-type', 'text/plain');
      response.end(name);
    };
    if (delay > 0) setTimeout(answer, delay);
    else answer();
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({
        name,
        address: `127.0.0.1:${port}`,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
