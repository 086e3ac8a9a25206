import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from '../../packages/adapters/files/load-config.ts';
import { runContextFrom } from '../../packages/runtime/run-context.ts';
import { DEFAULT_CONFIG_PATH } from '../../packages/core/config/default-path.ts';
import { ConfigurationError } from '../../packages/core/errors.ts';
import { formatDuration, parseDuration, parseInteger } from '../../packages/core/inputs/index.ts';
import { runAction } from '../../packages/runtime/run-action.ts';
import { terminalIO } from '../../packages/runtime/terminal-io.ts';
import { status } from './definition.ts';
import { statusMain } from './main.ts';

/** Clears the screen and puts the cursor top left, so each frame replaces the last. */
const CLEAR = '\u001b[2J\u001b[H';

export interface WatchOptions {
  /** Stop after this many frames (for tests and scripts); until Ctrl-C otherwise. */
  count?: number;
  /** Default: the shortest refresh_interval of the configured dashboards. */
  refreshMs?: number;
}

/** Takes `--watch`, `--count N` and `--refresh DURATION` out of the arguments; the rest are status inputs. */
export function takeWatchFlags(args: readonly string[]): { watch: WatchOptions; rest: string[] } {
  const watch: WatchOptions = {};
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const match = /^--(count|refresh)(?:=(.*))?$/s.exec(arg);
    if (arg === '--watch') continue;
    if (!match) {
      rest.push(arg);
      continue;
    }
    const value = match[2] ?? args[++i];
    if (value === undefined) throw new ConfigurationError(`--${match[1]} needs a value`);
    if (match[1] === 'count') watch.count = parseInteger('--count', value, { min: 1 });
    else watch.refreshMs = parseDuration('--refresh', value, { minMs: 1_000 });
  }
  return { watch, rest };
}

interface Streams {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
}

/**
 * `sidhe-devops status --watch`: the status view redrawn every refresh until Ctrl-C (or `--count`
 * frames). Sleeps between frames, so it costs nothing while idle. The exit code is the last frame's.
 */
export async function watchStatus(inputs: ReadonlyMap<string, string>, options: WatchOptions, streams: Streams): Promise<number> {
  const refreshMs = options.refreshMs ?? (await configuredRefresh(inputs.get('config') ?? ''));
  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const tty = (streams.out as NodeJS.WriteStream).isTTY === true;
  let failed = false;
  try {
    for (let frame = 1; !stop.signal.aborted; frame++) {
      const started = Date.now();
      let text = '';
      const buffer = new Writable({
        write(chunk, _encoding, done) {
          text += String(chunk);
          done();
        },
      });
      const run = terminalIO(inputs, { out: buffer, err: buffer });
      await runAction(status.name, statusMain, run.io, status);
      failed = run.failed();
      const title = `sidhe-devops status --watch: frame ${frame} at ${new Date().toISOString()}, every ${formatDuration(refreshMs)}; Ctrl-C stops`;
      streams.out.write(`${tty ? CLEAR : ''}${title}\n${text}\n`);
      if (options.count !== undefined && frame >= options.count) break;
      // Start to start: a frame that took long shortens the wait, so a change is seen within a refresh.
      await sleep(Math.max(0, refreshMs - (Date.now() - started)), undefined, { signal: stop.signal }).catch(() => undefined);
    }
    return failed ? 1 : 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

async function configuredRefresh(configPath: string): Promise<number> {
  const config = await loadConfig({ path: configPath === DEFAULT_CONFIG_PATH ? '' : configPath, workspace: runContextFrom(process.env).workspace });
  const { health_check_interval: probeEvery } = config.devops_automator.monitoring;
  return Math.max(1_000, Math.min(probeEvery, ...config.infrastructure_monitoring.dashboards.map((d) => d.refresh_interval)));
}
