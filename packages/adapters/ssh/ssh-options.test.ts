import { describe, expect, it } from 'vitest';
import { parseSshHost } from './ssh-host.ts';
import { controlArgs, masterArgs, sessionArgs, type SshSettings } from './ssh-options.ts';

const settings: SshSettings = {
  host: parseSshHost('hosts', 'ssh://deploy@web-1:2222'),
  controlPath: '/tmp/sidhe-ssh-x/c',
  identityFile: '/tmp/sidhe-ssh-x/key',
  knownHostsFile: '/tmp/sidhe-ssh-x/known_hosts',
  hostKeyChecking: 'yes',
  connectTimeoutMs: 7_500,
};

/** `-o` values as a map, for asserting options regardless of their order. */
function options(args: string[]): Map<string, string> {
  const map = new Map<string, string>();
  args.forEach((arg, i) => {
    if (arg === '-o') {
      const [key, value] = args[i + 1]!.split('=') as [string, string];
      map.set(key, value);
    }
  });
  return map;
}

describe('ssh options', () => {
  it('ends every command with -- and the host, so the host can never be read as an option', () => {
    for (const args of [masterArgs(settings, '/l'), controlArgs(settings, 'check'), sessionArgs(settings, "'true'")]) {
      const dash = args.indexOf('--');
      expect(args.slice(dash - 4, dash + 2)).toEqual(['-l', 'deploy', '-p', '2222', '--', 'web-1']);
    }
    expect(sessionArgs(settings, "'true'").at(-1)).toBe("'true'");
  });

  it('reads no ssh_config, uses only the given key and known hosts, and checks host keys strictly', () => {
    const args = masterArgs(settings, '/l');
    expect(args.slice(0, 2)).toEqual(['-F', 'none']);
    expect(Object.fromEntries(options(args))).toMatchObject({
      BatchMode: 'yes',
      IdentitiesOnly: 'yes',
      UserKnownHostsFile: '/tmp/sidhe-ssh-x/known_hosts',
      GlobalKnownHostsFile: '/dev/null',
      StrictHostKeyChecking: 'yes',
      ConnectTimeout: '8',
      ControlPersist: 'no',
    });
    expect(args).toEqual(expect.arrayContaining(['-M', '-N', '-f', '-i', '/tmp/sidhe-ssh-x/key', '-S', '/tmp/sidhe-ssh-x/c']));
  });

  it('trusts new host keys only when asked', () => {
    expect(options(masterArgs({ ...settings, hostKeyChecking: 'accept-new' }, '/l')).get('StrictHostKeyChecking')).toBe('accept-new');
  });

  it('never lets a session open a connection of its own', () => {
    const session = options(sessionArgs(settings, "'true'"));
    expect(session.get('ControlMaster')).toBe('no');
    expect(session.get('ProxyCommand')).toBe('false');
  });

  it('asks the master for a forward', () => {
    const args = controlArgs(settings, 'forward', '/tmp/f1.sock:/var/run/docker.sock');
    expect(args).toEqual(expect.arrayContaining(['-O', 'forward', '-L', '/tmp/f1.sock:/var/run/docker.sock']));
  });

  it('gives the master its start forwards before the host, failing it when one cannot be set up', () => {
    const args = masterArgs({ ...settings, startForwards: ['/tmp/f1.sock:/var/run/docker.sock', '/tmp/f2.sock:/run/haproxy/admin.sock'] }, '/l');
    const dash = args.indexOf('--');
    expect(args.slice(dash - 8, dash - 4)).toEqual(['-L', '/tmp/f1.sock:/var/run/docker.sock', '-L', '/tmp/f2.sock:/run/haproxy/admin.sock']);
    expect(options(args).get('ExitOnForwardFailure')).toBe('yes');
  });
});
