import http from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalServers, reply } from '../../../test/support/local-servers.ts';
import { runCommand } from '../process/run-command.ts';
import type { HostExec } from '../host/host-system.ts';
import { createHostHttpProbe } from './host-http-probe.ts';

// The host is this machine: the probe's curl runs here as it would run over a host's SSH connection.
const localExec: HostExec = (argv, { timeoutMs }) => runCommand(argv[0]!, argv.slice(1), { timeoutMs });
const probe = createHostHttpProbe(localExec, 'web1');
const servers = new LocalServers();
afterAll(() => servers.closeAll());

const plan = (url: string, extra: { samples?: number; bodyContains?: string; timeoutMs?: number } = {}) => ({
  kind: 'http' as const,
  id: url,
  url,
  samples: extra.samples ?? 3,
  timeoutMs: extra.timeoutMs ?? 2_000,
  budgetMs: 10_000,
  ...(extra.bodyContains === undefined ? {} : { bodyContains: extra.bodyContains }),
});

describe('host HTTP probe (curl on the host)', () => {
  it("reports each sample's status and the host-side latency", async () => {
    const url = `${await servers.http(reply(200, 'ok', 30))}/health`;
    const samples = await probe.probe(plan(url));
    expect(samples).toHaveLength(3);
    for (const sample of samples) {
      expect(sample.status).toBe(200);
      expect(sample.latencyMs).toBeGreaterThanOrEqual(30);
      expect(sample.error).toBeUndefined();
    }
  });

  it('checks the body of each answer when asked, and reports 500s as statuses', async () => {
    let n = 0;
    const url = await servers.http((_req, res) => {
      n += 1;
      res.writeHead(n === 2 ? 500 : 200).end(n === 2 ? 'broken' : 'all good');
    });
    const samples = await probe.probe(plan(url, { bodyContains: 'good' }));
    expect(samples.map((s) => [s.status, s.bodyMatched])).toEqual([
      [200, true],
      [500, false],
      [200, true],
    ]);
  });

  it('names the host and the reason when nothing answers or an answer is too slow', async () => {
    const server = http.createServer(() => {});
    const port = await servers.listen(server);
    const slow = await probe.probe(plan(`http://127.0.0.1:${port}/`, { samples: 1, timeoutMs: 300 }));
    expect(slow[0]?.error).toMatch(/^on web1: .*(timed out|Timeout)/i);
    const refused = await probe.probe(plan('http://127.0.0.1:9/', { samples: 2 }));
    expect(refused).toHaveLength(2);
    expect(refused[0]?.error).toMatch(/^on web1: .*(connect|refused)/i);
  });

  it('says so when the host has no curl', async () => {
    const noCurl: HostExec = async () => ({ exitCode: 127, stdout: '', stderr: 'sh: 1: curl: not found', timedOut: false });
    const samples = await createHostHttpProbe(noCurl, 'web2').probe(plan('http://127.0.0.1:1/', { samples: 2 }));
    expect(samples).toEqual([{ error: 'on web2: not probed: curl is not installed there' }, { error: 'on web2: not probed: curl is not installed there' }]);
  });
});
