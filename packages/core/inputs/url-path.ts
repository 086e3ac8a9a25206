import { invalidValue } from '../errors.ts';

/** RFC 3986 path and query characters: no spaces, no line breaks, no fragment. */
const PATH = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@%/?]*$/;
const MAX_LENGTH = 2048;

/** An HTTP path (with an optional query) probed on a release, e.g. `/health` or `/ready?deep=1`. */
export function parseUrlPath(what: string, raw: string): string {
  const text = raw.trim();
  if (text.length > MAX_LENGTH || !PATH.test(text)) {
    throw invalidValue(what, raw.length > 80 ? `${raw.slice(0, 80)}…` : raw, 'use an HTTP path starting with /, without spaces or line breaks, e.g. /health');
  }
  return text;
}
