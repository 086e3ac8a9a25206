/**
 * Plain text as GitHub Markdown that shows as written. Summaries carry text from reports (test
 * names, failure messages, findings), which a pull request can write: it must not forge a heading,
 * a list, a link, an image or HTML on the job page. Code spans (`…`) are kept as code, since the
 * suite writes them itself (`reports/*.xml`) and nothing inside one renders as markup.
 */

// Outside code: backslash, emphasis, link brackets, table pipes, strikethrough; `<` becomes an entity.
const INLINE = /[\\*[\]|~]/g;
// `_` emphasises only at a word's edge (GFM), so `quality_gates` stays as it is.
const EDGE_UNDERSCORE = /(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu;
// What makes a block when a line starts with it: heading, quote, list item, thematic break.
const BLOCK_START = /^(\s*)(#{1,6}(?=\s|$)|>|[-+](?=\s|$)|-{3,}|\d{1,9}[.)](?=\s|$))/;

function inline(text: string): string {
  return text.replace(INLINE, '\\$&').replace(EDGE_UNDERSCORE, '\\_').replace(/</g, '&lt;');
}

function code(span: string): string {
  // A cell ends at `|` even inside code (GFM), and a code span cannot hold a line break.
  return span.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** One line of Markdown: line breaks become `<br>`, so nothing can start a block of its own. */
export function markdownText(text: string): string {
  // Runs of the same length with no backtick between them, as CommonMark pairs them.
  const parts = text.split(/(?<!`)(`+)(?!`)([^`]*?)(?<!`)\1(?!`)/);
  let out = '';
  for (let index = 0; index < parts.length; index += 3) {
    out += inline(parts[index]!);
    if (index + 2 < parts.length) out += `${parts[index + 1]}${code(parts[index + 2]!)}${parts[index + 1]}`;
  }
  return out.replace(/\r?\n/g, '<br>').replace(BLOCK_START, (_, space: string, marker: string) => `${space}${marker.replace(/[#>\-+.)]$/, '\\$&')}`);
}

/** A fence no backtick run in `text` can close. */
export function codeFence(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  return '`'.repeat(Math.max(3, longest + 1));
}
