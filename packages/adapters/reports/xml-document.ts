import { parseXml as parseXmlText, XmlElement, XmlError, type XmlDocument } from '@rgrove/parse-xml';
import { firstLine } from '../../core/message-bounds.ts';
import { reportError } from './report-error.ts';

/** The document, or one element of it. */
export type XmlNode = XmlDocument | XmlElement;

/** Line and column (1-based) just past the last character of `text`. */
function endOf(text: string): { line: number; column: number } {
  const lines = text.split('\n');
  return { line: lines.length, column: lines.at(-1)!.length + 1 };
}

/**
 * What the parser found, without its position (given apart) or the excerpt of the file it quotes on
 * the next lines. An element left open where no end tag follows is a file that stops early.
 */
function explain(error: XmlError, text: string): { line: number; column: number; reason: string } {
  const reason = firstLine(error.message.split('\n')[0]!.replace(/ \(line \d+, column \d+\)$/, ''));
  const open = /^Missing end tag for element (.*)$/.exec(reason);
  if (open && !text.startsWith('</', error.pos)) {
    return { ...endOf(text), reason: `the file ends inside <${open[1]}> (is it truncated?)` };
  }
  // The parser reads no DTD, so an entity a DOCTYPE declares (external ones included) is undefined.
  const doctype = reason.startsWith("Named entity isn't defined") && text.includes('<!ENTITY') ? ' (entities in a DOCTYPE are not read)' : '';
  return { line: error.line, column: error.column, reason: `${reason}${doctype}` };
}

/**
 * Parses well-formed XML, or throws an error naming the file, line and column. No DTD is read: no
 * external entity is fetched and no entity expands, so a hostile file can neither read the runner's
 * files nor grow in memory.
 */
export function parseXml(kind: string, file: string, text: string): XmlDocument {
  try {
    return parseXmlText(text);
  } catch (error) {
    if (!(error instanceof XmlError)) throw error;
    const { line, column, reason } = explain(error, text);
    throw reportError(kind, file, `is not well-formed XML (line ${line}, column ${column}): ${reason}`);
  }
}

/** The child elements of `node` named `tag`, in document order. */
export function children(node: XmlNode | undefined, tag: string): XmlElement[] {
  return (node?.children ?? []).filter((child): child is XmlElement => child instanceof XmlElement && child.name === tag);
}

/** An attribute without surrounding whitespace (jest-junit names a test in an unnamed describe " name"). */
export function attr(node: XmlElement | undefined, name: string): string | undefined {
  return node?.attributes[name]?.trim();
}

/** The element's text, CDATA included, without surrounding whitespace. */
export function text(node: XmlElement | undefined): string {
  return node?.text.trim() ?? '';
}
