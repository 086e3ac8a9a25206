/** What every secret is replaced with wherever the suite prints. */
export const MASK = '***';

/**
 * The credentials of every URL written in `text` (any scheme, several lines allowed): the whole user
 * information and the password alone. The user information ends at the LAST `@` of the URL, so a
 * password holding `/`, `#`, `?` or `@` unencoded, which URL parsers split wrongly, is still found whole.
 */
export function urlCredentials(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(/[a-z][a-z0-9+.-]*:\/\/(\S+)@/gi)) {
    const userinfo = match[1]!;
    found.push(userinfo);
    const colon = userinfo.indexOf(':');
    if (colon !== -1 && colon < userinfo.length - 1) found.push(userinfo.slice(colon + 1));
  }
  return found;
}

/** `scheme://user:***@host/…`: a URL fit for a message, whatever its password holds. */
export function maskUrlCredentials(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)(\S+)@/gi, (_, scheme: string, userinfo: string) => {
    const colon = userinfo.indexOf(':');
    return colon === -1 ? `${scheme}${MASK}@` : `${scheme}${userinfo.slice(0, colon)}:${MASK}@`;
  });
}
