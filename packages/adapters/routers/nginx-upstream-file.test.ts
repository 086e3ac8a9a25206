import { describe, expect, it } from 'vitest';
import { parseUpstreamFile, renderUpstreamFile } from './nginx-upstream-file.ts';

describe('nginx upstream file', () => {
  const slots = [
    { name: 'green', address: '127.0.0.1:8082', weight: 10 },
    { name: 'blue', address: '[::1]:8081', weight: 90 },
    { name: 'old', address: 'app-old.internal:80', weight: 0 },
  ];

  it('writes one server line per slot, a 0% slot as down', () => {
    expect(renderUpstreamFile('myapp-production', slots)).toBe(
      [
        '# Managed by SIDHE DevOps for myapp-production: rewritten on every switch, so change it through SIDHE, not by hand.',
        '# Server lines for one upstream block, which includes this file.',
        'server [::1]:8081 weight=90; # slot blue',
        'server 127.0.0.1:8082 weight=10; # slot green',
        'server app-old.internal:80 down; # slot old',
        '',
      ].join('\n'),
    );
  });

  it('reads back what it wrote', () => {
    const parsed = parseUpstreamFile(renderUpstreamFile('app', slots), '/etc/nginx/sidhe/app.conf');
    expect(parsed).toEqual([...slots].sort((a, b) => a.name.localeCompare(b.name)));
  });

  it('refuses a file it did not write, naming the line', () => {
    expect(() => parseUpstreamFile('# mine\nserver 127.0.0.1:8081 max_fails=3;\n', '/etc/nginx/sidhe/app.conf')).toThrow(
      'router-endpoint: /etc/nginx/sidhe/app.conf line 2 is not a line SIDHE writes (expected "server <host:port> weight=<n>|down; # slot <name>"): "server 127.0.0.1:8081 max_fails=3;"',
    );
  });
});
