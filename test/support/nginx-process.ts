import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SIDHE_CANARY_LOG_FORMAT } from '../../packages/adapters/metrics/access-log-line.ts';
import { renderUpstreamFile } from '../../packages/adapters/routers/nginx-upstream-file.ts';
import { waitForPort, type RoutedServer } from './haproxy-process.ts';
import { freePort } from './local-servers.ts';

/**
 * Starts a private nginx for tests and benchmarks: its own nginx.conf, pid file, logs and temp paths
 * in a temporary directory, a front end on 127.0.0.1, and an upstream that includes the file the
 * nginx router manages. Never touches the system's nginx.
 */
export interface NginxProcessOptions {
  /** The slots the upstream starts with; addresses default to the unused `127.0.0.1:1`. */
  servers: RoutedServer[];
  /** Upstream name, the routed service. Default `app`. */
  upstream?: string;
  /** Writes the front end's requests to `accessLog` in the sidhe_canary JSON format. Default: no access log. */
  accessLog?: boolean;
  /** Includes a directory of preview server blocks, with a default server answering 404 on their listen. */
  previews?: boolean;
}

export interface NginxProcess {
  /** The `router-endpoint` for this nginx. */
  endpoint: string;
  upstream: string;
  upstreamFile: string;
  configFile: string;
  frontPort: number;
  url: string;
  dir: string;
  /** The sidhe_canary access log, when asked for. */
  accessLog: string | undefined;
  /** With `previews`: the `preview-router-endpoint` (the server blocks' directory) and `previews.listen`. */
  previews: { endpoint: string; listen: string; url: string } | undefined;
  stop(): Promise<void>;
}

const NGINX = '/usr/sbin/nginx';

export async function startNginx(options: NginxProcessOptions): Promise<NginxProcess> {
  const dir = await mkdtemp(join(tmpdir(), 'sidhe-nginx-'));
  const upstream = options.upstream ?? 'app';
  const frontPort = await freePort();
  const upstreamFile = join(dir, 'upstreams', `${upstream}.conf`);
  const configFile = join(dir, 'nginx.conf');
  await mkdir(join(dir, 'upstreams'));
  await mkdir(join(dir, 'temp'));
  const accessLog = options.accessLog ? join(dir, 'access.log') : undefined;
  const previewPort = options.previews ? await freePort() : undefined;
  if (previewPort !== undefined) await mkdir(join(dir, 'previews'));
  const previews =
    previewPort === undefined ? [] : [`    include ${dir}/previews/*.conf;`, `    server { listen 127.0.0.1:${previewPort} default_server; return 404; }`];
  const slots = options.servers.map(({ name, address = '127.0.0.1:1', weight = 0 }) => ({ name, address, weight }));
  await writeFile(upstreamFile, renderUpstreamFile(upstream, slots));
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `    ${kind}_temp_path ${dir}/temp/${kind};`);
  await writeFile(
    configFile,
    [
      'daemon off;',
      'worker_processes 2;',
      `pid ${dir}/nginx.pid;`,
      `error_log ${dir}/error.log warn;`,
      'events { worker_connections 1024; }',
      'http {',
      ...(accessLog === undefined
        ? ['    access_log off;']
        : [`    log_format sidhe_canary escape=json '${SIDHE_CANARY_LOG_FORMAT}';`, `    access_log ${accessLog} sidhe_canary;`]),
      ...temp,
      ...previews,
      `    upstream ${upstream} {`,
      `        zone ${upstream} 64k;`,
      `        include ${upstreamFile};`,
      '        keepalive 16;',
      '    }',
      '    server {',
      `        listen 127.0.0.1:${frontPort};`,
      '        location / {',
      `            proxy_pass http://${upstream};`,
      '            proxy_http_version 1.1;',
      '            proxy_set_header Connection "";',
      '        }',
      '    }',
      '}',
      '',
    ].join('\n'),
  );
  const log = openSync(join(dir, 'nginx.out'), 'a');
  const child: ChildProcess = spawn(NGINX, ['-e', join(dir, 'error.log'), '-c', configFile], { stdio: ['ignore', log, log] });
  closeSync(log);
  try {
    await waitForPort(frontPort, child);
  } catch (error) {
    child.kill('SIGKILL');
    const logs = await readFile(join(dir, 'error.log'), 'utf8').catch(() => '');
    throw new Error(`nginx did not start: ${(error as Error).message}\n${logs}`, { cause: error });
  }
  return {
    endpoint: `file://${upstreamFile}?conf=${configFile}&nginx=${NGINX}`,
    upstream,
    upstreamFile,
    configFile,
    frontPort,
    url: `http://127.0.0.1:${frontPort}`,
    dir,
    accessLog,
    previews:
      previewPort === undefined
        ? undefined
        : { endpoint: `file://${dir}/previews/?conf=${configFile}&nginx=${NGINX}`, listen: `127.0.0.1:${previewPort}`, url: `http://127.0.0.1:${previewPort}` },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        await new Promise<void>((resolve) => {
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        });
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
