/**
 * The one place an argument vector becomes a remote command line. sshd always hands the command to
 * the user's login shell (`$SHELL -c`), so every argument is single-quoted for a POSIX shell: inside
 * single quotes nothing is special, and a `'` is closed, escaped and reopened (`'\''`). Every argument
 * is quoted, even plain words, so no rule decides which ones are safe.
 */
export function quoteRemoteCommand(argv: readonly string[]): string {
  if (argv.length === 0) throw new Error('a remote command needs at least the program to run');
  return argv.map(quoteArgument).join(' ');
}

function quoteArgument(argument: string): string {
  // A C string (what the remote exec receives) ends at NUL: the argument would arrive cut short.
  if (argument.includes('\0')) throw new Error('a remote command argument cannot contain a NUL byte');
  return `'${argument.replaceAll("'", `'\\''`)}'`;
}
