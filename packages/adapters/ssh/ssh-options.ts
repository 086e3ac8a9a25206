import type { SshHost } from './ssh-host.ts';

/** Files and choices one connection's ssh processes share. */
export interface SshSettings {
  host: SshHost;
  /** The control socket of the host's master connection. */
  controlPath: string;
  /** The private key file (0600), or none to use the runner's agent and default keys. */
  identityFile?: string;
  knownHostsFile: string;
  /** `accept-new` trusts a host seen for the first time (and the caller prints its key); `yes` never does. */
  hostKeyChecking: 'yes' | 'accept-new';
  connectTimeoutMs: number;
  /** `local:remote` unix socket forwards the master sets up as it starts (checked by the connection). */
  startForwards?: readonly string[];
}

/**
 * Options every ssh process of a connection gets. `-F none`: no system or user ssh_config changes
 * what we run (Debian's hashes known hosts, a runner's may add a proxy). Constants only: nothing
 * from an input becomes an option, and the host always follows `--`.
 */
function commonOptions(settings: SshSettings): string[] {
  const options = [
    '-F',
    'none',
    '-o',
    'BatchMode=yes',
    '-o',
    'IdentitiesOnly=yes',
    '-o',
    `UserKnownHostsFile=${settings.knownHostsFile}`,
    '-o',
    'GlobalKnownHostsFile=/dev/null',
    '-o',
    `StrictHostKeyChecking=${settings.hostKeyChecking}`,
    '-o',
    'HashKnownHosts=no',
    '-o',
    'UpdateHostKeys=no',
    '-o',
    `ConnectTimeout=${Math.max(1, Math.ceil(settings.connectTimeoutMs / 1000))}`,
    '-S',
    settings.controlPath,
  ];
  if (settings.identityFile !== undefined) options.push('-i', settings.identityFile);
  return options;
}

function destination(host: SshHost): string[] {
  return ['-l', host.user, '-p', String(host.port), '--', host.hostname];
}

/**
 * The master: authenticates once, then carries every session and forward of the run. `-f` returns
 * once it is authenticated (or failed), with its start forwards listening (ExitOnForwardFailure); its log, at debug level for the host key it saw, goes to a
 * file. Keep-alives end it within ~15 s when the host stops answering.
 */
export function masterArgs(settings: SshSettings, logFile: string): string[] {
  return [
    ...commonOptions(settings),
    '-M',
    '-N',
    '-f',
    '-E',
    logFile,
    '-o',
    'LogLevel=DEBUG1',
    '-o',
    'ControlPersist=no',
    '-o',
    'ServerAliveInterval=5',
    '-o',
    'ServerAliveCountMax=3',
    '-o',
    'ExitOnForwardFailure=yes',
    '-o',
    'StreamLocalBindUnlink=yes',
    ...(settings.startForwards ?? []).flatMap((spec) => ['-L', spec]),
    ...destination(settings.host),
  ];
}

/**
 * A session over the master. When the control socket is gone, ssh would quietly open a connection of
 * its own; `ProxyCommand=false` makes that attempt fail at once, so a lost master is an error, not a
 * second connection.
 */
export function sessionArgs(settings: SshSettings, remoteCommand: string): string[] {
  return [
    ...commonOptions(settings),
    '-o',
    'ControlMaster=no',
    '-o',
    'ProxyCommand=false',
    '-o',
    'LogLevel=ERROR',
    '-T',
    ...destination(settings.host),
    remoteCommand,
  ];
}

/** A request to the master (`check`, `exit`, `forward`, `cancel`); these never open a connection. */
export function controlArgs(settings: SshSettings, command: 'check' | 'exit' | 'forward', forward?: string): string[] {
  return [...commonOptions(settings), '-o', 'LogLevel=ERROR', '-O', command, ...(forward === undefined ? [] : ['-L', forward]), ...destination(settings.host)];
}
