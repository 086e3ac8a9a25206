import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../core/errors.ts';
import { parseServersState, parseStat, refusal, toSlotView } from './haproxy-answers.ts';

// Written by HAProxy 2.6.12 for a backend with a server UP, DOWN, in maintenance (`disabled`),
// drained without checks (`no-check`, then `set server ... state drain`) and one on IPv6.
const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const state = parseServersState(fixture('haproxy-2.6-show-servers-state.txt'));
const stat = parseStat(fixture('haproxy-2.6-show-stat.csv'));

describe('HAProxy answers', () => {
  it('reads show servers state', () => {
    expect(state.map(({ name, address, weight, declaredByName }) => [name, address, weight, declaredByName])).toEqual([
      ['blue', '127.0.0.1:18091', 90, true],
      ['green', '127.0.0.1:1', 10, true],
      ['old', '127.0.0.1:18091', 0, false],
      ['spare', '127.0.0.1:18091', 5, true],
      ['v6', '[::1]:8080', 0, false],
    ]);
  });

  it('turns each server into a slot view with HAProxy words for its state', () => {
    const views = Object.fromEntries(
      state.map((server) => [
        server.name,
        toSlotView(
          server,
          stat.find((row) => row.svname === server.name),
        ),
      ]),
    );
    expect(views).toEqual({
      blue: { address: '127.0.0.1:18091', weight: 90, admin: 'ready', health: 'up', detail: 'UP' },
      green: { address: '127.0.0.1:1', weight: 10, admin: 'ready', health: 'down', detail: 'DOWN (Layer4 connection problem)' },
      old: { address: '127.0.0.1:18091', weight: 0, admin: 'maint', health: 'down', detail: 'MAINT' },
      spare: { address: '127.0.0.1:18091', weight: 5, admin: 'drain', health: 'unchecked', detail: 'DRAIN' },
      v6: { address: '[::1]:8080', weight: 0, admin: 'ready', health: 'down', detail: 'DOWN (Layer4 connection problem)' },
    });
  });

  it('finds the balancing algorithm on the BACKEND row', () => {
    expect(stat.find((row) => row.svname === 'BACKEND')?.algo).toBe('roundrobin');
  });

  it('reads quoted CSV fields', () => {
    expect(parseStat('# pxname,svname,check_desc\napp,blue,"said ""no"", twice"\n')).toEqual([
      { pxname: 'app', svname: 'blue', check_desc: 'said "no", twice' },
    ]);
  });

  it('refuses to read an error message as state', () => {
    expect(() => parseServersState("Can't find backend.\n")).toThrow(
      `router-endpoint: what listens there is not HAProxy's runtime API: asked "show servers state", it answered "Can't find backend."; give HAProxy's admin socket (stats socket … level admin)`,
    );
    expect(() => parseStat('Unknown command.\n')).toThrow(
      /^router-endpoint: what listens there is not HAProxy's runtime API: asked "show stat", it answered "Unknown command\."/,
    );
  });

  it.each([
    [
      'HTTP/1.1 400 Bad Request\r\nContent-Type: text/html\r\n\r\n<html>SECRET</html>',
      /it answered "HTTP\/1\.1 400 Bad Request\\r\\nContent-Type: text\/html\\r\\n\\r\\n<html>S"… \(72 characters\);/,
    ],
    ['', /it answered nothing;/],
    ['Permission denied.\n', /^router-endpoint: HAProxy refused "show servers state" \(Permission denied\); give the admin socket/],
  ])('reports an endpoint that is not HAProxy as the user’s to fix: %j', (answer, message) => {
    const error = (() => {
      try {
        parseServersState(answer);
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error?.message).toMatch(message);
    expect(error?.message).not.toContain('</html>');
  });

  it.each([
    ['set server app/blue weight 50', '\n', undefined],
    ['set server app/blue state ready', '\n', undefined],
    [
      'set server app/blue addr 127.0.0.1 port 8081',
      "IP changed from '127.0.0.1' to '127.0.0.2', port changed from '1' to '8081' by 'stats socket command'\n",
      undefined,
    ],
    ['set server app/blue addr 127.0.0.1 port 8081', "no need to change the addr, port changed from '1' to '8081' by 'stats socket command'\n", undefined],
    ['set server app/purple weight 50', 'No such server.\n', 'No such server.'],
    [
      'set server app/blue weight 500',
      'Absolute weight can only be between 0 and 256 inclusive.\n',
      'Absolute weight can only be between 0 and 256 inclusive.',
    ],
    ['set server app/blue addr localhost port 1', "Invalid addr 'localhost' by 'stats socket command'\n", "Invalid addr 'localhost' by 'stats socket command'"],
    ['set server app/blue weight 5', 'Permission denied\n', 'Permission denied'],
    ['set server app/blue addr 127.0.0.1 port 1', '', '(empty answer)'],
  ])('checks the answer to %s', (command, answer, refused) => expect(refusal(command, answer)).toBe(refused));
});
