import { invalidValue } from '../../core/errors.ts';
import { maskUrlCredentials } from '../../core/url-credentials.ts';

/** Checks `prometheus-url`: an http(s) base URL; errors never show its user or password. */
export function parsePrometheusUrl(raw: string): string {
  const url = raw.trim();
  if (!/^https?:\/\/[^/\s]/i.test(url) || !URL.canParse(url)) {
    throw invalidValue('prometheus-url', maskUrlCredentials(url), 'give the base URL of the Prometheus server, e.g. http://prometheus:9090');
  }
  return url;
}
