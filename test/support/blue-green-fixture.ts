import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { runCommand } from '../../packages/adapters/process/run-command.ts';
import { RELEASE_LABEL_KEYS } from '../../packages/core/deploy/release.ts';
import { runBundle, type BundleOptions, type BundleRun } from '../harness/run-bundle.ts';
import { startHaproxy } from './haproxy-process.ts';
import { freePort } from './local-servers.ts';
import { startNginx } from './nginx-process.ts';
import { DOCKER_HOST } from './services.ts';

export const dockerEnv = { ...process.env, DOCKER_HOST };
export const docker = (...args: string[]) => runCommand('docker', args, { env: dockerEnv });

export type Colour = 'blue' | 'green';
/** The colour a deploy starts the new release in, when `live` serves. */
export const otherColour = (live: Colour): Colour => (live === 'blue' ? 'green' : 'blue');

/** Releases of the sample service; each test file builds the ones it needs, under its own tags. */
export type Variant = 'v1' | 'v2' | 'broken' | 'exits' | 'flaky' | 'leaky' | 'failing';

/** Images built FROM the sample service, changing only how it runs. */
const DERIVED: Partial<Record<Variant, string>> = {
  // Exits at once, saying why, as a misconfigured service would.
  exits: 'CMD ["/bin/busybox", "sh", "-c", "echo missing DATABASE_URL >&2; exit 3"]',
  // Prints its whole environment, secrets included, then exits: the start failure quotes those lines.
  leaky: 'CMD ["/bin/busybox", "sh", "-c", "/bin/busybox env; exit 3"]',
  // Healthy for 6 s, then its health page goes away: it turns unhealthy after the switch.
  flaky:
    'CMD ["/bin/busybox", "sh", "-c", "/bin/busybox httpd -p 127.0.0.1:$PORT -h /www; /bin/busybox sleep 6; /bin/busybox rm /www/health; exec /bin/busybox sleep 100000"]',
  // Healthy, but `/` fails 30% of requests with a 500: busybox httpd runs /cgi-bin/index.cgi for a
  // directory without index.html. A canary the judge must abort.
  failing: 'COPY index.cgi /www/cgi-bin/index.cgi\nRUN ["/bin/busybox", "rm", "/www/index.html"]',
};

/** Files a derived variant's Dockerfile copies from its build context (made executable). */
const CONTEXT_FILES: Partial<Record<Variant, Record<string, string>>> = {
  failing: {
    'index.cgi': [
      '#!/bin/busybox sh',
      'if [ $((RANDOM % 100)) -lt 30 ]; then',
      "  printf 'Status: 500 Internal Server Error\\r\\nContent-Type: text/plain\\r\\n\\r\\nfailing\\n'",
      'else',
      "  printf 'Content-Type: text/plain\\r\\n\\r\\n'; /bin/busybox cat /www/version",
      'fi',
      '',
    ].join('\n'),
  },
};

const SAMPLE: Partial<Record<Variant, string[]>> = { v1: ['1.0.0'], v2: ['2.0.0'], broken: ['3.0.0', 'broken'] };

/** What a built image answers on /version: its variant's, or v1's for the variants built FROM v1. */
function versionOf(image: string): string {
  const variant = image.slice(image.lastIndexOf(':') + 1) as Variant;
  return (SAMPLE[variant] ?? SAMPLE.v1!)[0]!;
}

/** Builds `<prefix>:<variant>` offline for each variant (and v1, which the derived ones start FROM). */
export async function buildImages(prefix: string, variants: readonly Variant[]): Promise<Record<Variant, string>> {
  const needed = [...new Set<Variant>(['v1', ...variants])];
  const tag = (variant: Variant): string => `${prefix}:${variant}`;
  for (const variant of needed.filter((v) => SAMPLE[v])) {
    const build = await runCommand('bash', ['scripts/build-sample-image.sh', tag(variant), ...SAMPLE[variant]!], { env: dockerEnv });
    expect(build.exitCode, build.stderr).toBe(0);
  }
  for (const variant of needed.filter((v) => DERIVED[v])) {
    const context = mkdtempSync(path.join(os.tmpdir(), 'sidhe-img-'));
    writeFileSync(path.join(context, 'Dockerfile'), `FROM ${tag('v1')}\n${DERIVED[variant]}\n`);
    for (const [name, text] of Object.entries(CONTEXT_FILES[variant] ?? {})) writeFileSync(path.join(context, name), text, { mode: 0o755 });
    const build = await runCommand('docker', ['build', '-q', '-t', tag(variant), context], { env: { ...dockerEnv, DOCKER_BUILDKIT: '0' } });
    expect(build.exitCode, build.stderr).toBe(0);
  }
  return Object.fromEntries(needed.map((v) => [v, tag(v)])) as Record<Variant, string>;
}

export async function removeImages(images: Record<string, string>): Promise<void> {
  await docker('rmi', '-f', ...Object.values(images));
}

export interface BlueGreenBed {
  app: string;
  environment: string;
  inputs: Record<string, string>;
  frontUrl: string;
  /** nginx with `accessLog`: its sidhe_canary access log, for `metrics: access-log:<path>`. */
  accessLog?: string;
  /** What the service behind the router answers on /version, or the error. */
  version(): Promise<string>;
  deploy(image: string, extra?: Record<string, string>, options?: BundleOptions): Promise<BundleRun>;
  rollback(extra?: Record<string, string>, options?: BundleOptions): Promise<BundleRun>;
  /** The app's running containers: slot (blue, green, baseline) → image. */
  running(): Promise<Map<string, string>>;
  /**
   * Brings the bed to a known state at the start of a test: `image` serving and, when given, `idle`
   * kept running in the other colour. Deploys (with no observation window) only when the bed is not
   * there already, so tests that follow one another cheaply stay cheap. Returns the live colour.
   */
  serve(image: string, options?: { idle?: string }): Promise<Colour>;
  /** Removes every container of the app, as on a rebuilt host; the router keeps what it was told. */
  reset(): Promise<void>;
  /** nginx only: appends a line `nginx -t` rejects to its main config; returns the undo. */
  breakRouterConfig(): () => void;
  cleanup(): Promise<void>;
}

/** A router (real HAProxy or nginx) in front of the app's blue and green slots, and the two actions. */
export async function blueGreenBed(
  router: 'haproxy' | 'nginx',
  app: string,
  { accessLog = false, baseline = false }: { accessLog?: boolean; baseline?: boolean } = {},
): Promise<BlueGreenBed> {
  const environment = 'itg';
  const service = `${app}-${environment}`;
  // A canary's baseline needs a third HAProxy server, as users declare it; nginx takes any slot.
  const proxy =
    router === 'haproxy'
      ? await startHaproxy({ backend: service, servers: [{ name: 'blue' }, { name: 'green' }, ...(baseline ? [{ name: 'baseline' }] : [])] })
      : await startNginx({ upstream: service, servers: [{ name: 'blue' }, { name: 'green' }], accessLog });
  const inputs = {
    app,
    environment,
    router,
    'router-endpoint': proxy.endpoint,
    ports: `${await freePort()},${await freePort()}`,
  };
  const env = { DOCKER_HOST };
  const prefix = `sidhe-${app}.${environment}-`;
  const version = async (): Promise<string> => {
    const response = await fetch(`${proxy.url}/version`).catch((error: Error) => error);
    return response instanceof Error ? `error: ${response.message}` : (await response.text()).trim();
  };
  const deploy: BlueGreenBed['deploy'] = (image, extra = {}, options = {}) =>
    runBundle(
      'deploy-blue-green',
      { ...inputs, image, 'switch-delay': '2s', 'health-timeout': '30s', ...extra },
      { ...options, env: { ...env, ...options.env } },
    );
  const running = async (): Promise<Map<string, string>> => {
    const listed = await docker('ps', '--format', '{{.Names}} {{.Image}}', '--filter', `name=${prefix}`);
    return new Map(
      listed.stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => line.slice(prefix.length).split(' ') as [string, string]),
    );
  };
  /** The colour serving `image` with `idle` beside it, or undefined when the bed is not in that state. */
  const servingColour = async (image: string, idle?: string): Promise<Colour | undefined> => {
    const slots = await running();
    const colour = (['blue', 'green'] as const).find((c) => slots.get(c) === image);
    if (!colour || (await version()) !== versionOf(image)) return undefined;
    return !idle || slots.get(otherColour(colour)) === idle ? colour : undefined;
  };
  const removeContainers = async (): Promise<void> => {
    const listed = await docker('ps', '-aq', '--filter', `name=${prefix}`);
    const ids = listed.stdout.split('\n').filter(Boolean);
    if (ids.length) await docker('rm', '-f', ...ids);
  };
  return {
    app,
    environment,
    inputs,
    frontUrl: proxy.url,
    ...('accessLog' in proxy && proxy.accessLog ? { accessLog: proxy.accessLog } : {}),
    version,
    deploy,
    rollback: (extra = {}, options = {}) => runBundle('rollback', { ...inputs, reason: 'itg', ...extra }, { ...options, env: { ...env, ...options.env } }),
    running,
    async serve(image, { idle } = {}) {
      const already = await servingColour(image, idle);
      if (already) return already;
      // Kept in the idle colour (by an earlier deploy) beside what `idle` asks for: a rollback to it is a switch.
      const slots = await running();
      const kept = (['blue', 'green'] as const).find((c) => slots.get(c) === image && (!idle || slots.get(otherColour(c)) === idle));
      if (kept) {
        const release = await docker('inspect', '-f', `{{index .Config.Labels "${RELEASE_LABEL_KEYS.release}"}}`, `${prefix}${kept}`);
        const back = await runBundle('rollback', { ...inputs, to: release.stdout.trim(), reason: 'itg' }, { env });
        const colour = back.exitCode === 0 ? await servingColour(image, idle) : undefined;
        if (colour) return colour;
      }
      for (const next of idle ? [idle, image] : [image]) {
        const run = await deploy(next, { 'switch-delay': '0s' });
        expect(run.exitCode, `bringing the bed to ${next} serving: ${run.stdout}`).toBe(0);
      }
      const colour = await servingColour(image, idle);
      if (!colour)
        throw new Error(`the bed does not serve ${image}${idle ? ` with ${idle} idle` : ''} after deploying it: ${JSON.stringify([...(await running())])}`);
      return colour;
    },
    reset: removeContainers,
    breakRouterConfig() {
      if (!('configFile' in proxy)) throw new Error('breakRouterConfig is for nginx');
      const original = readFileSync(proxy.configFile, 'utf8');
      writeFileSync(proxy.configFile, `${original}\nthis_is_not_a_directive on;\n`);
      return () => writeFileSync(proxy.configFile, original);
    },
    async cleanup() {
      await proxy.stop();
      await removeContainers();
    },
  };
}
