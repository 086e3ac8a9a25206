import { invalidValue } from '../../core/errors.ts';

/** The URL with any user and password replaced by `***`, fit for a message. */
export function withoutUserinfo(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1***@');
}

/** Checks `prometheus-url`: an http(s) base URL; errors never show its user or password. */
export function parsePrometheusUrl(raw: string): string {
  const url = raw.trim();
  if (!/^https?:\/\/[^/\s]/i.test(url) || !URL.canParse(url)) {
    throw invalidValue('prometheus-url', withoutUserinfo(url), 'give the base URL of the Prometheus server, e.g. http://prometheus:9090');
  }
  return url;
}
