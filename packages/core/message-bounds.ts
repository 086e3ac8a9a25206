/**
 * Bounds on what an error message carries. A file may not be what its name says (a symlink to a
 * secrets file, a binary): an error quotes a short excerpt of it, never whole values, and lists a
 * bounded number of problems, so a hostile or broken file cannot flood the log with its content.
 */

/** Longest piece of a value or of a file's content that a message quotes. */
export const EXCERPT_CHARS = 80;
/** Most problems one error lists; the rest are counted. */
export const MAX_PROBLEMS = 20;

/**
 * `text` quoted for a message: JSON-escaped on one line, cut to EXCERPT_CHARS with its length said
 * when longer.
 */
export function excerpt(text: string, max = EXCERPT_CHARS): string {
  const chars = [...text];
  if (chars.length <= max) return JSON.stringify(text);
  return `${JSON.stringify(chars.slice(0, max).join(''))}… (${chars.length} characters)`;
}

/** A one-line message of a library about a file, cut at its first line break and to a short length. */
export function firstLine(message: string, max = 2 * EXCERPT_CHARS): string {
  const line = message
    .split(/\r?\n/)[0]!
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ')
    .trim();
  return line.length <= max ? line : `${line.slice(0, max)}…`;
}

/** At most `max` items, then `… and N more` when there are more. */
export function atMost(items: readonly string[], max = MAX_PROBLEMS): string[] {
  return items.length <= max ? [...items] : [...items.slice(0, max), `… and ${items.length - max} more`];
}
