import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { pidFileFrom, reloaded } from './nginx-workers.ts';

// `nginx -V` of Debian's nginx-light 1.22.
const version = readFileSync(new URL('./fixtures/nginx-1.22-V.txt', import.meta.url), 'utf8');

describe('nginx reload watch', () => {
  const before = new Map([
    [101, 'nginx: worker process'],
    [102, 'nginx: worker process'],
  ]);

  it('waits for new workers and for every old one to stop accepting', () => {
    const starting = new Map([...before, [201, 'nginx: worker process']]);
    expect(reloaded(before, starting)).toBe(false);
    const switched = new Map([
      [101, 'nginx: worker process is shutting down'],
      [201, 'nginx: worker process'],
      [202, 'nginx: worker process'],
    ]);
    expect(reloaded(before, switched)).toBe(true);
  });

  it('is not fooled by a reload that started no worker', () => {
    expect(reloaded(before, new Map([[101, 'nginx: worker process is shutting down']]))).toBe(false);
  });

  it('finds the pid file from the config, else from how nginx was built', () => {
    const dump = '# configuration file /etc/nginx/nginx.conf:\nuser www-data;\n  pid /run/custom.pid;\n# pid /not/this.pid;\n';
    expect(pidFileFrom(dump, '', undefined)).toBe('/run/custom.pid');
    expect(pidFileFrom('events {}\n', version, undefined)).toBe('/run/nginx.pid');
    expect(pidFileFrom('pid logs/nginx.pid;\n', version, '/srv/nginx')).toBe('/srv/nginx/logs/nginx.pid');
    expect(pidFileFrom('pid logs/nginx.pid;\n', version, undefined)).toBe('/usr/share/nginx/logs/nginx.pid');
  });
});
