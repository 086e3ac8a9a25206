import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { atMost, firstLine } from '../../core/message-bounds.ts';
import { reportError } from './report-error.ts';

/** An element as fast-xml-parser gives it: attributes as `@_name`, text as `#text`, children by tag. */
export type XmlNode = { [key: string]: XmlNode[] | XmlNode | string | undefined };

/** The file ended inside elements: the validator lists them as `Invalid '[ "a", "b" ]' found.` */
function explain(message: string): string {
  const unclosed = /^Invalid '\[(.*)\]' found\.$/s.exec(message);
  if (!unclosed) return message;
  const tags = unclosed[1]!.split(',').map((t) => firstLine(t.trim().replace(/^"|"$/g, ''), 40));
  return `the file ends inside <${atMost(tags, 5).join('>, <')}> (is it truncated?)`;
}

/**
 * Parses well-formed XML or throws an error naming the file, line and column. Every tag in
 * `arrays` is always an array, so one child and many read alike.
 */
export function parseXml(kind: string, file: string, text: string, arrays: readonly string[]): XmlNode {
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    const { line, col, msg } = valid.err;
    throw reportError(kind, file, `is not well-formed XML (line ${line}, column ${col}): ${firstLine(explain(msg))}`);
  }
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    alwaysCreateTextNode: true,
    parseTagValue: false,
    parseAttributeValue: false,
    // Numeric character references (&#10;, &#xA;) carry the newlines of failure messages.
    htmlEntities: true,
    isArray: (tag) => arrays.includes(tag),
  });
  try {
    return parser.parse(text) as XmlNode;
  } catch (error) {
    // Well-formed but refused: an external or parameter entity, an entity past the parser's limits.
    throw reportError(kind, file, `cannot be read: ${firstLine((error as Error).message)} (entities in a DOCTYPE are not read)`);
  }
}

export function children(node: XmlNode | undefined, tag: string): XmlNode[] {
  const value = node?.[tag];
  return Array.isArray(value) ? value : value && typeof value === 'object' ? [value] : [];
}

export function attr(node: XmlNode | undefined, name: string): string | undefined {
  const value = node?.[`@_${name}`];
  return typeof value === 'string' ? value : undefined;
}

export function text(node: XmlNode | undefined): string {
  const value = node?.['#text'];
  return typeof value === 'string' ? value : '';
}
