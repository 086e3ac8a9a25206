import { describe, expect, it } from 'vitest';
import { createRouter } from './create-router.ts';
import { parseHaproxyEndpoint } from './haproxy-endpoint.ts';
import { parseNginxEndpoint } from './nginx-endpoint.ts';

const HAPROXY_FORMS =
  'for haproxy use unix:///path/to/admin.sock or tcp://127.0.0.1:9999, optionally with ?state-file=/absolute/path ' +
  '(e.g. unix:///run/haproxy/admin.sock?state-file=/var/lib/haproxy/server-state)';
const NGINX_FORMS =
  'for nginx use file:///etc/nginx/sidhe/myapp-production.conf (the managed upstream file) or file:///etc/nginx/sidhe/ ' +
  '(a directory: the file is <service>.conf), optionally with ?conf=/etc/nginx/nginx.conf&nginx=/usr/sbin/nginx&prefix=/etc/nginx/';

describe('createRouter', () => {
  it('builds each router and says what it drives', () => {
    expect(createRouter('haproxy', 'unix:///run/haproxy/admin.sock', 'myapp-production').describe()).toBe(
      'HAProxy backend myapp-production via unix:///run/haproxy/admin.sock',
    );
    expect(createRouter('nginx', 'file:///etc/nginx/sidhe/', 'myapp-production').describe()).toBe(
      'nginx upstream file /etc/nginx/sidhe/myapp-production.conf for myapp-production',
    );
  });

  it('names the router input when the kind is unknown', () => {
    expect(() => createRouter('traefik', 'x', 'app')).toThrow('router: "traefik" is not valid; use one of: haproxy, nginx');
  });

  it('refuses a service name that would not be safe in a command or file name', () => {
    expect(() => createRouter('haproxy', 'unix:///run/haproxy/admin.sock', 'app;shutdown')).toThrow(
      `router service: "app;shutdown" is not valid; use letters, digits, '.', '_' and '-' (up to 63, starting with a letter or digit)`,
    );
  });
});

describe('HAProxy endpoint', () => {
  it.each([
    ['unix:///run/haproxy/admin.sock', { socket: { kind: 'unix', path: '/run/haproxy/admin.sock' }, stateFile: undefined }],
    [
      'unix:///run/haproxy/admin.sock?state-file=/var/lib/haproxy/server-state',
      { socket: { kind: 'unix', path: '/run/haproxy/admin.sock' }, stateFile: '/var/lib/haproxy/server-state' },
    ],
    ['tcp://127.0.0.1:9999', { socket: { kind: 'tcp', host: '127.0.0.1', port: 9999 }, stateFile: undefined }],
    ['tcp://[::1]:9999/', { socket: { kind: 'tcp', host: '::1', port: 9999 }, stateFile: undefined }],
  ])('reads %s', (raw, parsed) => expect(parseHaproxyEndpoint(raw)).toEqual({ ...parsed, text: raw }));

  it.each([
    ['/run/haproxy/admin.sock', 'it is not a URL'],
    ['http://127.0.0.1:9999', 'unknown scheme "http:"'],
    ['unix://run/haproxy/admin.sock', 'a unix socket needs an absolute path: three slashes, as in unix:///run/haproxy/admin.sock'],
    ['tcp://127.0.0.1', 'a tcp socket needs a host and a port and nothing after them'],
    ['tcp://127.0.0.1:9999/admin', 'a tcp socket needs a host and a port and nothing after them'],
    ['unix:///run/haproxy/admin.sock?statefile=/x', 'unknown option "statefile" (options: state-file)'],
    ['unix:///run/haproxy/admin.sock?state-file=/a&state-file=/b', 'option "state-file" is given twice'],
    ['unix:///run/haproxy/admin.sock?state-file=server-state', "state-file must be an absolute path without spaces, quotes, ';' or braces"],
  ])('rejects %s', (raw, problem) => {
    expect(() => parseHaproxyEndpoint(raw)).toThrow(`router-endpoint: ${JSON.stringify(raw)} is not valid; ${problem}; ${HAPROXY_FORMS}`);
  });
});

describe('nginx endpoint', () => {
  it('reads a file, its options and defaults', () => {
    expect(parseNginxEndpoint('file:///etc/nginx/sidhe/app.conf?conf=/etc/nginx/nginx.conf&nginx=/usr/sbin/nginx&prefix=/etc/nginx/', 'app')).toEqual({
      upstreamFile: '/etc/nginx/sidhe/app.conf',
      nginx: '/usr/sbin/nginx',
      conf: '/etc/nginx/nginx.conf',
      prefix: '/etc/nginx/',
      text: 'file:///etc/nginx/sidhe/app.conf?conf=/etc/nginx/nginx.conf&nginx=/usr/sbin/nginx&prefix=/etc/nginx/',
    });
    expect(parseNginxEndpoint('file:///etc/nginx/sidhe/', 'myapp-staging')).toMatchObject({
      upstreamFile: '/etc/nginx/sidhe/myapp-staging.conf',
      nginx: 'nginx',
      conf: undefined,
    });
  });

  it.each([
    ['/etc/nginx/sidhe/app.conf', 'it is not a URL'],
    ['unix:///etc/nginx/sidhe/app.conf', 'unknown scheme "unix:"'],
    ['file://etc/nginx/sidhe/app.conf', 'a file URL needs an absolute path: three slashes, as in file:///etc/nginx/sidhe/app.conf'],
    ['file:///etc/nginx/sidhe/app.conf?config=/etc/nginx/nginx.conf', 'unknown option "config" (options: conf, nginx, prefix)'],
    ['file:///etc/nginx/sidhe/app.conf?conf=nginx.conf', "conf must be an absolute path without spaces, quotes, ';' or braces"],
    ['file:///etc/nginx/sidhe/app.conf?nginx=bin/nginx', "nginx must be an absolute path without spaces, quotes, ';' or braces"],
    ['file:///etc/nginx/../app.conf', "paths must not contain '..'"],
    ['file:///etc/nginx/sidhe/app.conf?conf=/etc/nginx/../nginx.conf', "paths must not contain '..'"],
  ])('rejects %s', (raw, problem) => {
    expect(() => parseNginxEndpoint(raw, 'app')).toThrow(`router-endpoint: ${JSON.stringify(raw)} is not valid; ${problem}; ${NGINX_FORMS}`);
  });
});
