/** What every secret is replaced with wherever the suite prints. */
export const MASK = '***';

/** `ssh://deploy@web1` names an account, not a credential (SSH authenticates with keys): only a password is one. */
const namesAnAccount = (scheme: string, userinfo: string): boolean => scheme.toLowerCase() === 'ssh' && !userinfo.includes(':');

/**
 * The credentials of every URL written in `text` (any scheme, several lines allowed): the whole user
 * information and the password alone. The user information ends at the LAST `@` of the URL, so a
 * password holding `/`, `#`, `?` or `@` unencoded, which URL parsers split wrongly, is still found whole.
 */
export function urlCredentials(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(/([a-z][a-z0-9+.-]*):\/\/(\S+)@/gi)) {
    const userinfo = match[2]!;
    if (namesAnAccount(match[1]!, userinfo)) continue;
    found.push(userinfo);
    const colon = userinfo.indexOf(':');
    if (colon !== -1 && colon < userinfo.length - 1) found.push(userinfo.slice(colon + 1));
  }
  return found;
}

/** `scheme://user:***@host/…`: a URL fit for a message, whatever its password holds. */
export function maskUrlCredentials(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)(\S+)@/gi, (whole: string, scheme: string, userinfo: string) => {
    if (namesAnAccount(scheme.slice(0, -3), userinfo)) return whole;
    const colon = userinfo.indexOf(':');
    return colon === -1 ? `${scheme}${MASK}@` : `${scheme}${userinfo.slice(0, colon)}:${MASK}@`;
  });
}
