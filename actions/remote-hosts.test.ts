import { describe, expect, it } from 'vitest';
import { inputReader } from '../packages/runtime/input-reader.ts';
import { terminalIO } from '../packages/runtime/terminal-io.ts';
import { deployBlueGreen } from './deploy-blue-green/definition.ts';
import { readFleetDeploy, readRemoteHosts } from './remote-hosts.ts';

const sink = { write: () => true } as unknown as NodeJS.WritableStream;
const read = (given: Record<string, string>, configHosts: string[] = []) => {
  const { io } = terminalIO(new Map(Object.entries({ app: 'shop', environment: 'production', ...given })), { out: sink, err: sink });
  const inputs = inputReader(deployBlueGreen, io);
  const hosts = readRemoteHosts(inputs, io, configHosts);
  return hosts && { ...hosts, ...readFleetDeploy(inputs) };
};
const KNOWN = { 'known-hosts': 'web1 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample' };

describe('readRemoteHosts', () => {
  it("is the runner's engine when neither the input nor the configuration names hosts", () => {
    expect(read({})).toBeUndefined();
  });

  it('takes the hosts input over the configuration, one a line or comma-separated', () => {
    const plan = read({ hosts: 'ssh://deploy@web1\nssh://deploy@web2:2222', ...KNOWN }, ['ssh://deploy@other']);
    expect(plan?.hosts.map((h) => h.url)).toEqual(['ssh://deploy@web1:22', 'ssh://deploy@web2:2222']);
    expect(plan?.dockerSocket).toBe('/var/run/docker.sock');
    expect(read({ ...KNOWN }, ['ssh://deploy@web3'])?.hosts.map((h) => h.url)).toEqual(['ssh://deploy@web3:22']);
  });

  it.each([
    [{ hosts: 'ssh://deploy@web1' }, /^known-hosts: "" is not valid; give the hosts' known_hosts lines/],
    [{ hosts: 'ssh://deploy@web1,ssh://deploy@web1', ...KNOWN }, /^hosts: "ssh:\/\/deploy@web1:22" is not valid; name each host once/],
    [{ hosts: 'ssh://-oProxyCommand=x@web1', ...KNOWN }, /^hosts/],
    [{ hosts: 'ssh://deploy@web1', ...KNOWN, 'docker-host': 'tcp://10.0.0.1:2375' }, /^docker-host: .*unix:\/\/\/var\/run\/docker.sock/],
    [{ hosts: 'ssh://deploy@web1', ...KNOWN, 'boot-limit': '0' }, /^boot-limit: "0" is not valid/],
    [{ hosts: 'ssh://deploy@web1', ...KNOWN, username: 'ci' }, /^password: "" is not valid; give both username and password/],
    [{ hosts: 'ssh://deploy@web1', ...KNOWN, username: 'ci', password: 'hunter22' }, /^registry: "" is not valid/],
  ])('refuses %j before connecting', (given, message) => {
    expect(() => read(given)).toThrow(message);
  });

  it('accepts unknown host keys only when told to, and reads the registry login', () => {
    const plan = read({
      hosts: 'ssh://deploy@web1',
      'accept-new-host-keys': 'true',
      registry: 'ghcr.io',
      username: 'ci',
      password: 'hunter22',
      'boot-limit': '25%',
    });
    expect(plan).toMatchObject({ acceptNewHostKeys: true, registryLogin: { registry: 'ghcr.io', username: 'ci' }, bootLimit: { percent: 25 } });
  });
});
