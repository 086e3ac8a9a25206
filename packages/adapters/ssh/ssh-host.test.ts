import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../core/errors.ts';
import { parseSshHost } from './ssh-host.ts';

describe('parseSshHost', () => {
  it('reads a user, a hostname and the default port', () => {
    expect(parseSshHost('hosts', 'ssh://deploy@web-1.example.com')).toEqual({
      user: 'deploy',
      hostname: 'web-1.example.com',
      port: 22,
      url: 'ssh://deploy@web-1.example.com:22',
    });
  });

  it('reads an IPv4 address with a port', () => {
    expect(parseSshHost('hosts', ' ssh://root@10.213.1.2:2222 ')).toMatchObject({ hostname: '10.213.1.2', port: 2222 });
  });

  it('reads an IPv6 address in brackets and names it with them', () => {
    expect(parseSshHost('hosts', 'ssh://root@[fd00::2]:22')).toMatchObject({ hostname: 'fd00::2', url: 'ssh://root@[fd00::2]:22' });
  });

  it.each([
    ['root@10.0.0.1', /use ssh:\/\/user@host\[:port\]/],
    ['ssh://10.0.0.1', /use ssh:\/\/user@host/],
    ['ssh://root@-oProxyCommand=sh', /hosts \(host\): "-oProxyCommand=sh" is not valid/],
    ['ssh://-oProxyCommand=sh@host', /hosts \(user\): "-oProxyCommand=sh" is not valid/],
    ['ssh://ro$(id)ot@host', /hosts \(user\)/],
    ['ssh://root;ls@host', /hosts \(user\)/],
    ['ssh://root@host;ls', /hosts \(host\): "host;ls"/],
    ['ssh://root@host name', /hosts: .* is not valid/],
    ['ssh://root@fd00::2', /hosts: .* is not valid/],
    ['ssh://root@[10.0.0.1]', /hosts \(host\): "\[10.0.0.1\]"/],
    ['ssh://root@999.1.1.1', /hosts \(host\)/],
    ['ssh://root@host:0', /hosts \(port\): "0" is not valid; a port from 1 to 65535/],
    ['ssh://root@host:70000', /hosts \(port\)/],
    ['ssh://root@host/path', /hosts: .* is not valid/],
    ['ssh://root@host?x=1', /hosts: .* is not valid/],
    ['tcp://root@host', /hosts: .* is not valid/],
  ])('refuses %j, naming the input and what is allowed', (raw, message) => {
    const error = (() => {
      try {
        parseSshHost('hosts', raw);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toMatch(message);
  });
});
