import { describe, expect, it } from 'vitest';
import { parseTargets } from './targets.ts';

const ALLOWED = 'use one target a line: http(s)://host[:port]/path, tcp://host:port or container://<name>';

describe('parseTargets', () => {
  it('reads one target a line, keeping what the user wrote as its id', () => {
    const raw = 'http://127.0.0.1:8080/health\n# the database\ntcp://db.internal:5432\n\ncontainer://web-1\nhttps://example.test/ready?x=1,2';
    expect(parseTargets(raw)).toEqual([
      { kind: 'http', id: 'http://127.0.0.1:8080/health', url: 'http://127.0.0.1:8080/health' },
      { kind: 'tcp', id: 'tcp://db.internal:5432', host: 'db.internal', port: 5432 },
      { kind: 'container', id: 'container://web-1', name: 'web-1' },
      { kind: 'http', id: 'https://example.test/ready?x=1,2', url: 'https://example.test/ready?x=1,2' },
    ]);
  });

  it('unwraps an IPv6 literal for a TCP target', () => {
    expect(parseTargets('tcp://[::1]:6379')).toEqual([{ kind: 'tcp', id: 'tcp://[::1]:6379', host: '::1', port: 6379 }]);
  });

  it.each([
    'ftp://127.0.0.1/',
    '127.0.0.1:8080',
    'http://',
    'tcp://127.0.0.1',
    'tcp://127.0.0.1:0',
    'tcp://127.0.0.1:70000',
    'tcp://127.0.0.1:5432/db',
    'container://',
    'container://web app',
    'container://-web',
  ])('rejects %j naming the input and the allowed forms', (line) => {
    expect(() => parseTargets(line)).toThrow(`targets: ${JSON.stringify(line)} is not valid; ${ALLOWED}`);
  });

  it('rejects a target listed twice', () => {
    expect(() => parseTargets('tcp://a:1\ntcp://a:1')).toThrow(`targets: "tcp://a:1" is not valid; list each target once; ${ALLOWED}`);
  });

  it('keeps credentials out of the log and the report', () => {
    expect(() => parseTargets('https://user:secret@example.test/health')).toThrow(
      'targets: "https://user:secret@example.test/health" is not valid; leave credentials out of a target URL: it is printed in the log and the report',
    );
  });
});
