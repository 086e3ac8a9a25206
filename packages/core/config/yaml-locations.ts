import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter } from 'yaml';
import type { ConfigPath } from './problems.ts';

export interface Location {
  line: number;
  col: number;
}

/**
 * Where a configuration path is in the YAML source: its value, or its key when `onKey`. A path the
 * file does not contain (a missing key) points at the key of the nearest mapping that is there.
 */
export function locate(doc: Document, lines: LineCounter, path: ConfigPath, onKey: boolean): Location {
  let node: unknown = doc.contents;
  let offset = offsetOf(node) ?? 0;
  for (const [index, part] of path.entries()) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = node.items.find((item) => String(isScalar(item.key) ? item.key.value : item.key) === String(part));
      if (!pair) break;
      node = pair.value;
      const keyOffset = offsetOf(pair.key) ?? offset;
      const valueWanted = index === path.length - 1 && !onKey;
      offset = valueWanted ? (offsetOf(node) ?? keyOffset) : keyOffset;
    } else if (isSeq(node) && typeof part === 'number' && node.items[part]) {
      node = node.items[part];
      offset = offsetOf(node) ?? offset;
    } else {
      break;
    }
  }
  return lines.linePos(offset);
}

function offsetOf(node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range?.[0];
}
