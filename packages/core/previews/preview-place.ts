import { invalidValue } from '../errors.ts';
import type { ReleaseContainer, RunningRelease } from '../deploy/target.ts';

/** A preview's environment is `pr-<number>`: no configured environment can take that shape by accident. */
const PREVIEW = /^pr-([1-9]\d{0,9})$/;

/** The pull request number of a preview environment, or undefined for any other environment. */
export function previewNumber(environment: string): number | undefined {
  const match = PREVIEW.exec(environment);
  return match ? Number(match[1]) : undefined;
}

/** `preview` input (a pull request number) → its environment name, `pr-<number>`. */
export function previewEnvironment(raw: string): string {
  const text = raw.trim().replace(/^#/, '');
  if (!/^[1-9]\d{0,9}$/.test(text)) throw invalidValue('preview', raw, 'give the pull request number, e.g. 123');
  return `pr-${text}`;
}

/** The preview environment: `preview` (a pull request number) or `environment: pr-<number>`. */
export function previewTarget(preview: string, environment: string): string {
  return preview ? previewEnvironment(preview) : environment;
}

/** Fills `{number}` of the host template and `{host}` of the URL template. */
export function previewAddress(templates: { host: string; url: string }, number: number): { host: string; url: string } {
  const host = templates.host.replaceAll('{number}', String(number));
  return { host, url: templates.url.replaceAll('{host}', host) };
}

/** One preview found on the host: its environment, port and when it was last deployed. */
export interface PreviewOnHost {
  environment: string;
  port: number;
  /** ISO time of its newest release. */
  deployedAt: string;
}

/** Every preview of an app on the host, from its containers' labels, oldest deploy first. */
export function previewsOnHost(containers: readonly ReleaseContainer[]): PreviewOnHost[] {
  const found = new Map<string, PreviewOnHost>();
  for (const c of containers.filter((c): c is RunningRelease => c.trusted && previewNumber(c.labels.environment) !== undefined)) {
    const seen = found.get(c.labels.environment);
    if (!seen || c.labels.deployedAt > seen.deployedAt)
      found.set(c.labels.environment, { environment: c.labels.environment, port: c.labels.port, deployedAt: c.labels.deployedAt });
  }
  return [...found.values()].sort((a, b) => a.deployedAt.localeCompare(b.deployedAt));
}

/** The lowest port of the range no container of the app uses; undefined when all are taken. */
export function freePreviewPort(range: { first: number; last: number }, containers: readonly ReleaseContainer[]): number | undefined {
  const used = new Set(containers.filter((c) => c.trusted).map((c) => c.labels.port));
  for (let port = range.first; port <= range.last; port++) if (!used.has(port)) return port;
  return undefined;
}

/**
 * Previews the next preview deploy tears down, oldest first: those not deployed within maxAgeMs, then
 * the oldest beyond maxCount once the new one is counted. `current` (being deployed) is never one.
 */
export function previewsToRetire(
  previews: readonly PreviewOnHost[],
  current: string,
  now: number,
  limits: { maxAgeMs: number; maxCount: number },
): { preview: PreviewOnHost; why: string }[] {
  const others = previews.filter((p) => p.environment !== current);
  const stale = others.filter((p) => now - Date.parse(p.deployedAt) > limits.maxAgeMs);
  const kept = others.filter((p) => !stale.includes(p));
  const excess = kept.slice(0, Math.max(0, kept.length - (limits.maxCount - 1)));
  return [
    ...stale.map((preview) => ({ preview, why: 'older than previews.max_age' })),
    ...excess.map((preview) => ({ preview, why: `beyond previews.max_count (${limits.maxCount})` })),
  ].sort((a, b) => a.preview.deployedAt.localeCompare(b.preview.deployedAt));
}
