/** One container's output with `docker logs --timestamps` stamps, and the label its lines get. */
export interface LogSource {
  label: string;
  text: string;
}

/** RFC 3339 with nanoseconds, as docker stamps each line; trailing zeros of the fraction are dropped. */
const STAMP = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2}) (.*)$/;

interface Line {
  key: string;
  label: string;
  stamp: string;
  text: string;
  order: number;
}

/**
 * Every line of every source in time order, `<stamp> [<label>] <text>`. Lines without a stamp (a
 * continuation docker did not stamp) follow the line before them; equal stamps keep their source order.
 */
export function mergeLogs(sources: readonly LogSource[]): string[] {
  const lines: Line[] = [];
  let order = 0;
  for (const { label, text } of sources) {
    let last = { key: '', stamp: '' };
    for (const raw of text.split('\n')) {
      if (raw.trim() === '') continue;
      const match = STAMP.exec(raw);
      if (match) {
        // UTC stamps compare as text once the fraction has all nine digits.
        last = { key: `${match[1]}.${(match[2] ?? '').padEnd(9, '0')}${match[3]}`, stamp: `${match[1]}.${(match[2] ?? '').padEnd(3, '0').slice(0, 3)}Z` };
        lines.push({ ...last, label, text: match[4]!, order: order++ });
      } else {
        lines.push({ ...last, label, text: raw, order: order++ });
      }
    }
  }
  return lines.sort((a, b) => a.key.localeCompare(b.key) || a.order - b.order).map((l) => `${l.stamp} [${l.label}] ${l.text}`);
}
