import { absolutePath, readEndpointUrl } from './endpoint-url.ts';

export interface NginxEndpoint {
  /** The managed file of server lines that the user's `upstream` block includes. */
  upstreamFile: string;
  /** The nginx binary: a name looked up on PATH or an absolute path. */
  nginx: string;
  /** nginx's main config (`-c`); nginx's built-in default when not given. */
  conf: string | undefined;
  /** nginx's prefix (`-p`); nginx's built-in default when not given. */
  prefix: string | undefined;
  text: string;
}

const FORMS =
  'for nginx use file:///etc/nginx/sidhe/myapp-production.conf (the managed upstream file) or file:///etc/nginx/sidhe/ ' +
  '(a directory: the file is <service>.conf), optionally with ?conf=/etc/nginx/nginx.conf&nginx=/usr/sbin/nginx&prefix=/etc/nginx/';

export function parseNginxEndpoint(raw: string, service: string): NginxEndpoint {
  const endpoint = readEndpointUrl(raw, FORMS, ['conf', 'nginx', 'prefix']);
  const { url, options } = endpoint;
  if (url.protocol !== 'file:') throw endpoint.fail(`unknown scheme "${url.protocol}"`);
  if (url.host !== '') throw endpoint.fail('a file URL needs an absolute path: three slashes, as in file:///etc/nginx/sidhe/app.conf');
  const path = absolutePath(endpoint, 'the upstream file', decodeURIComponent(url.pathname));
  const optional = (key: string) => {
    const value = options.get(key);
    return value === undefined ? undefined : absolutePath(endpoint, key, value);
  };
  const nginx = options.get('nginx') ?? 'nginx';
  if (!/^[A-Za-z0-9._-]+$/.test(nginx)) absolutePath(endpoint, 'nginx', nginx);
  return {
    upstreamFile: path.endsWith('/') ? `${path}${service}.conf` : path,
    nginx,
    conf: optional('conf'),
    prefix: optional('prefix'),
    text: raw.trim(),
  };
}
