import { absolutePath, readEndpointUrl } from './endpoint-url.ts';

export type AdminSocket = { kind: 'unix'; path: string } | { kind: 'tcp'; host: string; port: number };

export interface HaproxyEndpoint {
  socket: AdminSocket;
  /** Where the adapter writes `show servers state` after each change; HAProxy loads it at start. */
  stateFile: string | undefined;
  /** The endpoint as given, for messages. */
  text: string;
}

const FORMS =
  'for haproxy use unix:///path/to/admin.sock or tcp://127.0.0.1:9999, optionally with ?state-file=/absolute/path ' +
  '(e.g. unix:///run/haproxy/admin.sock?state-file=/var/lib/haproxy/server-state)';

export function parseHaproxyEndpoint(raw: string): HaproxyEndpoint {
  const endpoint = readEndpointUrl(raw, FORMS, ['state-file']);
  const { url, options } = endpoint;
  const stateFileOption = options.get('state-file');
  const stateFile = stateFileOption === undefined ? undefined : absolutePath(endpoint, 'state-file', stateFileOption);
  const text = raw.trim();
  if (url.protocol === 'unix:') {
    if (url.host !== '') throw endpoint.fail('a unix socket needs an absolute path: three slashes, as in unix:///run/haproxy/admin.sock');
    return { socket: { kind: 'unix', path: absolutePath(endpoint, 'the socket', decodeURIComponent(url.pathname)) }, stateFile, text };
  }
  if (url.protocol === 'tcp:') {
    if (url.hostname === '' || url.port === '' || (url.pathname !== '' && url.pathname !== '/')) {
      throw endpoint.fail('a tcp socket needs a host and a port and nothing after them');
    }
    return { socket: { kind: 'tcp', host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(url.port) }, stateFile, text };
  }
  throw endpoint.fail(`unknown scheme "${url.protocol}"`);
}
