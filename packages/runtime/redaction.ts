/**
 * The one redaction step every sink passes through (log, summary, outputs, reports, events, GitHub
 * statuses, annotations, the terminal). It is fed every secret the run knows, in every form one could
 * be printed in: as given, URL-encoded, URL-decoded and JSON-escaped.
 */
import { MASK } from '../core/url-credentials.ts';

export { MASK };

/**
 * Shorter values are not masked: they cannot be secrets worth the name, and masking `1` or `on` would
 * garble every number and word printed.
 */
const MIN_SECRET_LENGTH = 3;

export class Redactor {
  readonly #secrets = new Set<string>();
  /** Longest first, so a secret that contains another is masked whole. */
  #ordered: string[] = [];

  /** Registers a secret and its printable forms. */
  add(value: string): void {
    const before = this.#secrets.size;
    for (const form of secretForms(value)) {
      if (form.length >= MIN_SECRET_LENGTH) this.#secrets.add(form);
    }
    if (this.#secrets.size !== before) this.#ordered = [...this.#secrets].sort((a, b) => b.length - a.length);
  }

  /** Every secret form that must not be printed, for sinks that mask on their own (the runner's log). */
  forms(): readonly string[] {
    return this.#ordered;
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.#ordered) {
      if (out.includes(secret)) out = out.split(secret).join(MASK);
    }
    return out;
  }

  /** Every string inside a JSON-like value (events, reports, summary documents), keys included. */
  redactDeep<T>(value: T): T {
    if (this.#ordered.length === 0) return value;
    return this.#walk(value) as T;
  }

  #walk(value: unknown): unknown {
    if (typeof value === 'string') return this.redact(value);
    if (Array.isArray(value)) return value.map((item) => this.#walk(item));
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [this.redact(key), this.#walk(item)]));
    }
    return value;
  }
}

/** The forms a secret can be printed in. */
export function secretForms(value: string): string[] {
  const forms = new Set([value, value.trim()]);
  for (const form of [...forms]) {
    forms.add(encodeURIComponent(form));
    forms.add(JSON.stringify(form).slice(1, -1));
    try {
      forms.add(decodeURIComponent(form));
    } catch {
      // A stray % is the value as written.
    }
  }
  return [...forms].filter((form) => form !== '');
}
