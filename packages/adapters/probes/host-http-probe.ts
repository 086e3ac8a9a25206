import type { Sample } from '../../core/health/index.ts';
import type { HostExec } from '../host/host-system.ts';
import type { CommandResult } from '../process/run-command.ts';
import type { HttpProbe } from './http-probe.ts';

// Marks curl's report after each transfer; the body (when body-contains asks for it) comes before it.
const MARK = '\u0001sidhe-probe';
const WRITE_OUT = `\n${MARK} %{http_code} %{time_total} %{exitcode} %{errormsg}\u0001\n`;
const REPORT = new RegExp(`\\n${MARK} (\\d{3}) ([\\d.]+) (\\d+) ([^\\u0001]*)\\u0001\\n`, 'g');
const MAX_BODY_BYTES = 1 << 20;

/**
 * HTTP probes run on the host itself, with its curl: the request goes to the host's own loopback, as
 * the host's router sends it, and the latency is curl's, measured there, not the SSH tunnel's. One
 * curl per plan sends the samples one after another on one kept-alive connection, like the local probe.
 */
export function createHostHttpProbe(exec: HostExec, host: string): HttpProbe {
  return {
    async probe(plan) {
      const perRequestS = Math.max(0.001, plan.timeoutMs / 1000).toFixed(3);
      const body = plan.bodyContains !== undefined;
      const args = [
        'curl',
        '--silent',
        '--show-error',
        '--max-time',
        perRequestS,
        '--max-filesize',
        String(MAX_BODY_BYTES),
        '--user-agent',
        'sidhe-devops-health-check',
        '--write-out',
        WRITE_OUT,
      ];
      for (let i = 0; i < plan.samples; i++) args.push('--output', body ? '-' : '/dev/null', '--url', plan.url);
      const result = await exec(args, { timeoutMs: Math.min(plan.budgetMs, plan.timeoutMs * plan.samples) + 5_000 }).catch((error: unknown) => ({
        exitCode: -1,
        stdout: '',
        stderr: error instanceof Error ? error.message : String(error),
        timedOut: false,
      }));
      return samplesFrom(result, plan.samples, host, plan.bodyContains);
    },
    close() {},
  };
}

function samplesFrom(result: CommandResult, expected: number, host: string, bodyContains: string | undefined): Sample[] {
  const samples: Sample[] = [];
  let bodyStart = 0;
  for (const match of result.stdout.matchAll(REPORT)) {
    const [, code, seconds, exitCode, message] = match;
    const status = Number(code);
    const bodyText = result.stdout.slice(bodyStart, match.index);
    bodyStart = match.index + match[0].length;
    if (exitCode !== '0') {
      samples.push({ ...(status ? { status } : {}), error: `on ${host}: ${message?.trim() || `curl exit ${exitCode}`}` });
      continue;
    }
    samples.push({
      status,
      latencyMs: Math.round(Number(seconds) * 1_000_000) / 1000,
      ...(bodyContains === undefined ? {} : { bodyMatched: bodyText.includes(bodyContains) }),
    });
  }
  if (samples.length < expected) {
    const why = result.timedOut
      ? 'no answer over SSH in time'
      : result.exitCode === 127
        ? 'curl is not installed there'
        : result.stderr.trim().split('\n').pop() || `curl exit ${result.exitCode}`;
    while (samples.length < expected) samples.push({ error: `on ${host}: not probed: ${why}` });
  }
  return samples;
}
