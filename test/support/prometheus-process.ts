import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './local-servers.ts';

/** node-exporter of scripts/services.sh. */
export const NODE_EXPORTER_ADDRESS = '127.0.0.1:19100';

export interface PrometheusProcess {
  url: string;
  stop(): Promise<void>;
}

/**
 * A private Prometheus scraping node-exporter every second, so a test reads a real host's figures
 * without reloading the shared one (whose configuration belongs to the checkout that started it).
 * Resolves once a CPU rate can be computed (two scrapes).
 */
export async function startNodePrometheus(): Promise<PrometheusProcess> {
  const dir = await mkdtemp(join(tmpdir(), 'mon-prometheus-'));
  const port = await freePort();
  const config = join(dir, 'prometheus.yml');
  await writeFile(
    config,
    `global: { scrape_interval: 1s, evaluation_interval: 1s }\nscrape_configs:\n  - job_name: node\n    static_configs: [{ targets: ['${NODE_EXPORTER_ADDRESS}'] }]\n`,
  );
  const log = openSync(join(dir, 'prometheus.log'), 'a');
  const child = spawn('prometheus', ['--config.file', config, '--storage.tsdb.path', join(dir, 'data'), '--web.listen-address', `127.0.0.1:${port}`], {
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    child.kill('SIGTERM');
    await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
    await rm(dir, { recursive: true, force: true });
  };
  const query = `${url}/api/v1/query?query=${encodeURIComponent('rate(node_cpu_seconds_total{mode="idle"}[1m])')}`;
  for (let i = 0; i < 200; i++) {
    const body = await fetch(query)
      .then((r) => r.json() as Promise<{ data?: { result?: unknown[] } }>)
      .catch(() => undefined);
    if ((body?.data?.result?.length ?? 0) > 0) return { url, stop };
    await sleep(100);
  }
  await stop();
  throw new Error(
    `the private Prometheus at ${url} had no node-exporter rate after 20s; is node-exporter up on ${NODE_EXPORTER_ADDRESS} (scripts/services.sh start)?`,
  );
}
