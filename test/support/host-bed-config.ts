import { SIDHE_CANARY_LOG_FORMAT } from '../../packages/adapters/metrics/access-log-line.ts';
import { renderUpstreamFile } from '../../packages/adapters/routers/nginx-upstream-file.ts';
import { haproxyHead, QUICK_CHECKS } from './haproxy-process.ts';

/**
 * The files one bed host runs on. Daemons keep their DEFAULT paths (/var/run/docker.sock,
 * /var/lib/docker, /run/haproxy/admin.sock) as on a real server: the start script gives each host a
 * private mount namespace with its own /run (tmpfs) and its own directory bound on /var/lib/docker.
 */

export const HAPROXY_ADMIN_SOCKET = '/run/haproxy/admin.sock';
export const HAPROXY_STATE_FILE = '/run/haproxy/server-state';
export const HAPROXY_BACKEND = 'app';
export const FRONT_PORT = 80;
/** nginx at Debian's paths, in a directory only the host sees: a router that wrote on the runner by mistake would miss it. */
export const NGINX_CONFIG = '/etc/nginx/nginx.conf';
export const NGINX_UPSTREAM_FILE = '/etc/nginx/upstreams/app.conf';
export const NGINX_ACCESS_LOG = '/run/nginx/access.log';
export const NGINX_ENDPOINT = `file://${NGINX_UPSTREAM_FILE}?conf=${NGINX_CONFIG}&nginx=/usr/sbin/nginx`;

/** Files for the host's /etc/nginx: the config and the upstream file the nginx router manages. */
export function nginxFiles(address: string, dir: string): Record<string, string> {
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `    ${kind}_temp_path /run/nginx/${kind};`);
  const config = [
    'daemon off;',
    'worker_processes 1;',
    'pid /run/nginx.pid;',
    `error_log ${dir}/nginx-error.log warn;`,
    'events { worker_connections 1024; }',
    'http {',
    `    log_format sidhe_canary escape=json '${SIDHE_CANARY_LOG_FORMAT}';`,
    `    access_log ${NGINX_ACCESS_LOG} sidhe_canary;`,
    ...temp,
    `    upstream ${HAPROXY_BACKEND} {`,
    `        zone ${HAPROXY_BACKEND} 64k;`,
    `        include ${NGINX_UPSTREAM_FILE};`,
    '        keepalive 16;',
    '    }',
    '    server {',
    `        listen ${address}:${FRONT_PORT};`,
    '        location / {',
    `            proxy_pass http://${HAPROXY_BACKEND};`,
    '            proxy_http_version 1.1;',
    '            proxy_set_header Connection "";',
    '        }',
    '    }',
    '}',
    '',
  ].join('\n');
  const slots = ['blue', 'green'].map((name) => ({ name, address: '127.0.0.1:1', weight: 0 }));
  return { 'nginx.conf': config, 'upstreams/app.conf': renderUpstreamFile(HAPROXY_BACKEND, slots) };
}

export function sshdConfig(address: string, dir: string): string {
  return [
    `ListenAddress ${address}:22`,
    `HostKey ${dir}/host_key`,
    'PidFile /run/sshd.pid',
    'PermitRootLogin prohibit-password',
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    `AuthorizedKeysFile ${dir}/../authorized_keys`,
    // The bed's files live under /tmp, which is group- and world-writable above them.
    'StrictModes no',
    'AllowTcpForwarding yes',
    'AllowStreamLocalForwarding yes',
    // VERBOSE logs one `Connection from` per TCP connection: how the bench counts them.
    'LogLevel VERBOSE',
    'MaxSessions 64',
    'MaxStartups 64',
    '',
  ].join('\n');
}

export function haproxyConfig(address: string): string {
  return [
    ...haproxyHead(HAPROXY_ADMIN_SOCKET, HAPROXY_STATE_FILE, `${address}:${FRONT_PORT}`, HAPROXY_BACKEND),
    `backend ${HAPROXY_BACKEND}`,
    '  balance roundrobin',
    QUICK_CHECKS,
    '  server blue localhost:1 weight 0',
    '  server green localhost:1 weight 0',
    '',
  ].join('\n');
}

export interface StartScriptOptions {
  dir: string;
  docker: boolean;
  router: 'haproxy' | 'nginx' | 'none';
}

/**
 * Run as `nsenter --net=<ns> unshare --mount --propagation private sh <script>`: the mounts stay in
 * this host's namespace, and sshd's sessions (its children) see the same ones.
 */
export function startScript({ dir, docker, router }: StartScriptOptions): string {
  return [
    'set -e',
    'mount -t tmpfs -o mode=755 sidhe-run /run',
    'mkdir -p /run/sshd /run/haproxy',
    `mount --bind ${dir}/docker /var/lib/docker`,
    // dockerd derives its engine ID from /etc/docker/key.json: each host gets its own.
    `mount --bind ${dir}/etc-docker /etc/docker`,
    // Root's own home, as on a server: the runner's ~/.bashrc (which bash sources for ssh commands) stays out.
    `mount --bind ${dir}/root /root`,
    ...(docker ? dockerLines(dir) : []),
    ...(router === 'haproxy' ? [`haproxy -db -f ${dir}/haproxy.cfg >${dir}/haproxy.log 2>&1 </dev/null &`] : []),
    ...(router === 'nginx'
      ? [`mount --bind ${dir}/etc-nginx /etc/nginx`, 'mkdir -p /run/nginx', `nginx -c ${NGINX_CONFIG} >${dir}/nginx.log 2>&1 </dev/null &`]
      : []),
    `/usr/sbin/sshd -D -f ${dir}/sshd_config -E ${dir}/sshd.log </dev/null &`,
    `echo $! >${dir}/sshd.pid`,
    'wait',
    '',
  ].join('\n');
}

/** Starts the host's dockerd with default paths; also how a stopped one is started again. */
export function dockerLines(dir: string): string[] {
  return [
    `dockerd --storage-driver vfs --bridge=none --iptables=false --ip6tables=false --config-file ${dir}/daemon.json >>${dir}/dockerd.log 2>&1 </dev/null &`,
    `echo $! >${dir}/dockerd.pid`,
  ];
}
