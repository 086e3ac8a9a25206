import { readFile, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Router, RouteView } from '../../core/routing/router.ts';
import { startNginx, type NginxProcess } from '../../../test/support/nginx-process.ts';
import { createRouter } from './create-router.ts';
import { countResponses, get, startKeepAliveLoad } from './testing/keep-alive-load.ts';
import { startNamedBackends, type NamedBackend } from './testing/named-backends.ts';

let backends: Record<string, NamedBackend>;
let nginx: NginxProcess;
let router: Router;

beforeAll(async () => {
  backends = await startNamedBackends(['blue', 'green']);
  nginx = await startNginx({ servers: [{ name: 'blue', address: backends.blue!.address, weight: 100 }] });
  router = createRouter('nginx', nginx.endpoint, 'app');
});

afterAll(async () => {
  await nginx?.stop();
  await Promise.all(Object.values(backends ?? {}).map((backend) => backend.close()));
});

function weights(view: RouteView): Record<string, [string, number]> {
  return Object.fromEntries(Object.entries(view.slots).map(([name, slot]) => [name, [slot.address, slot.weight]]));
}

describe('nginx router', () => {
  it('switches blue to green and back through the managed file, and inspect shows each state', async () => {
    expect(await countResponses(nginx.url, 50)).toEqual({ blue: 50 });
    const toGreen = await router.apply({ slots: { blue: { weight: 0 }, green: { address: backends.green!.address, weight: 100 } } });
    expect(weights(toGreen)).toEqual({ blue: [backends.blue!.address, 0], green: [backends.green!.address, 100] });
    expect(toGreen.slots.blue).toMatchObject({ admin: 'drain', health: 'unchecked', detail: 'down' });
    expect(await readFile(nginx.upstreamFile, 'utf8')).toContain(
      `server ${backends.blue!.address} down; # slot blue\nserver ${backends.green!.address} weight=100; # slot green\n`,
    );
    // apply() returns once nginx's new workers took over, so the very next request follows the file.
    expect(await countResponses(nginx.url, 50)).toEqual({ green: 50 });
    await router.apply({ slots: { blue: { weight: 100 }, green: { weight: 0 } } });
    expect(await countResponses(nginx.url, 50)).toEqual({ blue: 50 });
    expect(weights(await router.inspect())).toEqual({ blue: [backends.blue!.address, 100], green: [backends.green!.address, 0] });
  });

  it('writes the file on a first deploy, leaving out a 0% slot that has no address yet', async () => {
    // The directory form of the endpoint: the file is <service>.conf there. No upstream includes
    // it, so nginx -t passes whatever it says; this is about the file and the view.
    const first = createRouter('nginx', `file://${dirname(nginx.upstreamFile)}/?conf=${nginx.configFile}`, 'first-deploy');
    expect(await first.inspect()).toEqual({ service: 'first-deploy', slots: {} });
    const view = await first.apply({ slots: { blue: { address: backends.blue!.address, weight: 100 }, green: { weight: 0 } } });
    expect(weights(view)).toEqual({ blue: [backends.blue!.address, 100] });
    await rm(`${dirname(nginx.upstreamFile)}/first-deploy.conf`);
  });

  it('splits new requests by exact canary weights', async () => {
    await router.apply({ slots: { blue: { weight: 90 }, green: { weight: 10 } } });
    const counts = await countResponses(nginx.url, 1000);
    // Smooth weighted round-robin, shared by both workers through the upstream's zone.
    expect(counts.green).toBeGreaterThanOrEqual(90);
    expect(counts.green).toBeLessThanOrEqual(110);
    expect(counts.blue! + counts.green!).toBe(1000);
    await router.apply({ slots: { blue: { weight: 100 }, green: { weight: 0 } } });
  });

  it('rolls back a file nginx -t rejects, reports nginx words, and keeps serving the old upstream', async () => {
    const before = await readFile(nginx.upstreamFile, 'utf8');
    const attempt = router.apply({ slots: { blue: { weight: 0 }, green: { address: 'no-such-host.invalid:8080', weight: 100 } } });
    await expect(attempt).rejects.toThrow(
      `nginx upstream file ${nginx.upstreamFile} for app: the nginx config test (nginx -T) rejected the new upstream file: ` +
        `[emerg] host not found in upstream "no-such-host.invalid:8080" in ${nginx.upstreamFile}:4; ` +
        `the previous file was put back, nginx still routes: blue 100% (${backends.blue!.address}), green 0% (${backends.green!.address}, down)`,
    );
    expect(await readFile(nginx.upstreamFile, 'utf8')).toBe(before);
    expect(await countResponses(nginx.url, 50)).toEqual({ blue: 50 });
  });

  it('rolls back when the reload cannot reach nginx, and says so', async () => {
    const before = await readFile(nginx.upstreamFile, 'utf8');
    // A copy of nginx.conf whose pid file names no running nginx: the test passes, the reload cannot.
    const orphan = nginx.configFile.replace(/nginx\.conf$/, 'orphan.conf');
    await writeFile(orphan, (await readFile(nginx.configFile, 'utf8')).replace(/pid (\S+)\/nginx\.pid;/, 'pid $1/orphan.pid;'));
    const lost = createRouter('nginx', `file://${nginx.upstreamFile}?conf=${orphan}`, 'app');
    await expect(lost.apply({ slots: { blue: { weight: 0 }, green: { weight: 100 } } })).rejects.toThrow(
      /nginx -s reload failed: \[error\] .*orphan\.pid.*; the previous file was put back, nginx still routes: blue 100% /,
    );
    expect(await readFile(nginx.upstreamFile, 'utf8')).toBe(before);
    expect(await countResponses(nginx.url, 20)).toEqual({ blue: 20 });
  });

  it('drops no request during 20 switches under keep-alive load, and lets requests in flight finish', async () => {
    const load = startKeepAliveLoad(nginx.url, { concurrency: 4 });
    const durations: number[] = [];
    const inFlight: Promise<{ body: string; from: string }>[] = [];
    for (let switchIndex = 0; switchIndex < 20; switchIndex++) {
      const [from, to] = switchIndex % 2 === 0 ? ['blue', 'green'] : ['green', 'blue'];
      inFlight.push(get(`${nginx.url}/slow?ms=600`).then((answer) => ({ body: answer.body, from: from })));
      await new Promise((resolve) => setTimeout(resolve, 50));
      const started = performance.now();
      await router.apply({ slots: { [from]: { weight: 0 }, [to]: { weight: 100 } } });
      durations.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const result = await load.stop();
    const slow = await Promise.all(inFlight);
    durations.sort((a, b) => a - b);
    console.log(
      `nginx: ${result.sent} requests over 20 switches, ${result.failures.length} failed ${JSON.stringify(result.failures.slice(0, 3))}, ` +
        `resent after nginx closed the connection unanswered ${JSON.stringify(result.resent)}, ` +
        `by backend ${JSON.stringify(result.byBackend)}; apply() p50 ${durations[10]!.toFixed(1)} ms, max ${durations[19]!.toFixed(1)} ms`,
    );
    // A reload closes old workers' keep-alive connections (see nginx-router.ts); a client that resends
    // an unanswered GET, as RFC 9112 allows, loses nothing. The log line says how many it resent.
    expect(result.failures).toEqual([]);
    expect(slow.map((answer) => answer.body)).toEqual(slow.map((answer) => answer.from));
  });
});
