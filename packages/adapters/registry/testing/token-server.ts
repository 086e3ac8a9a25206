/**
 * A token service for the Distribution spec's Bearer flow, for tests: it checks Basic credentials
 * and signs a JWT (ES256, the issuer's certificate in `x5c`) granting the scopes asked for, which a
 * real docker-registry configured with `auth.token` (the same certificate as rootcertbundle)
 * verifies. The key pair in test/fixtures/images/token-auth is a test key and nothing else's.
 */
import { createPrivateKey, randomUUID, sign, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

const FIXTURES = path.resolve(import.meta.dirname, '../../../../test/fixtures/images/token-auth');
export const TOKEN_CERT = path.join(FIXTURES, 'signing-cert.pem');
export const TOKEN_ISSUER = 'sidhe-test-issuer';
export const TOKEN_SERVICE = 'sidhe-test-registry';

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

export class TokenServer {
  readonly requests: string[] = [];
  readonly #user: { username: string; password: string };
  #server: http.Server | undefined;
  realm = '';

  constructor(user: { username: string; password: string }) {
    this.#user = user;
  }

  async start(): Promise<string> {
    const key = createPrivateKey(readFileSync(path.join(FIXTURES, 'signing-key.pem')));
    const der = new X509Certificate(readFileSync(TOKEN_CERT)).raw;
    this.#server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      this.requests.push(`${url.pathname}${url.search}`);
      const expected = `Basic ${Buffer.from(`${this.#user.username}:${this.#user.password}`).toString('base64')}`;
      if (req.headers.authorization !== expected) {
        res.writeHead(401, { 'content-type': 'application/json' });
        return res.end('{"details":"incorrect username or password"}');
      }
      const access = url.searchParams.getAll('scope').map((scope) => {
        const [type, name, actions] = scope.split(':');
        return { type, name, actions: (actions ?? '').split(',').filter(Boolean) };
      });
      const now = Math.floor(Date.now() / 1000);
      const header = { typ: 'JWT', alg: 'ES256', x5c: [der.toString('base64')] };
      const claims = { iss: TOKEN_ISSUER, sub: this.#user.username, aud: TOKEN_SERVICE, exp: now + 300, nbf: now - 10, iat: now, jti: randomUUID(), access };
      const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
      const signature = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ token: `${input}.${b64url(signature)}`, expires_in: 300 }));
    });
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve));
    this.realm = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/token`;
    return this.realm;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }
}
