import { describe, expect, it } from 'vitest';
import { parseConfig } from '../packages/core/config/index.ts';
import { ConfigurationError } from '../packages/core/errors.ts';
import { terminalIO } from '../packages/runtime/terminal-io.ts';
import { eventReporting, eventsRedisUrl } from './event-reporting.ts';

function terminal() {
  let err = '';
  const sink = { write: () => true } as unknown as NodeJS.WritableStream;
  const errors = { write: (text: string) => ((err += text), true) } as unknown as NodeJS.WritableStream;
  const run = terminalIO(new Map(), { out: sink, err: errors });
  return { io: run.io, err: () => err };
}

const config = (url?: string) => parseConfig(url ? `devops_automator:\n  events:\n    redis_url: "${url}"\n` : '', 'test.yaml');

describe('eventsRedisUrl', () => {
  it('takes the input over the configuration key, and neither is no events', () => {
    const { io } = terminal();
    expect(eventsRedisUrl(io, 'redis://input:6379', config('redis://config:6379'))).toBe('redis://input:6379');
    expect(eventsRedisUrl(io, '', config('redis://config:6379'))).toBe('redis://config:6379');
    expect(eventsRedisUrl(io, '', config())).toBe('');
  });

  it('masks the password before anything can print it', () => {
    const { io, err } = terminal();
    eventsRedisUrl(io, 'rediss://:hunter%232@redis.internal:6380', config());
    io.log.info('connecting with hunter%232 (hunter#2)');
    expect(err()).toBe('connecting with *** (***)\n');
  });

  it('names the input or the key of a bad URL, without its password', () => {
    const { io } = terminal();
    expect(() => eventsRedisUrl(io, 'http://:pw@redis:6379', config())).toThrow(
      new ConfigurationError(
        'events-redis-url: "http://:***@redis:6379" is not valid; use a redis:// or rediss:// (TLS) URL, e.g. redis://redis.internal:6379 or rediss://:password@redis.internal:6380/0',
      ),
    );
    expect(() => config('http://redis:6379')).toThrow(/devops_automator\.events\.redis_url.*use a redis:\/\/ or rediss:\/\//);
  });
});

describe('eventReporting', () => {
  it('reports nothing and holds nothing open without a destination', async () => {
    const { io, err } = terminal();
    const events = eventReporting(io, { action: 'rollback', app: 'shop', environment: 'production' }, { redisUrl: '' });
    await events.report('rollback.started');
    await events.close();
    expect(err()).toBe('');
  });
});
