import { codeFence, markdownText as md } from './markdown-text.ts';
import type { ChartSeries, SummaryBlock, SummaryDoc } from './summary-doc.ts';

/** A Mermaid string: one line, no double quote to end it early. */
const quote = (text: string): string => `"${text.replace(/"/g, "'").replace(/\s+/g, ' ')}"`;

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]): string => `| ${cells.map(md).join(' | ')} |`;
  return [line(header), `| ${header.map(() => '---').join(' | ')} |`, ...rows.map(line)].join('\n');
}

/** A Mermaid xychart (GitHub renders it in job summaries). It has no legend, so a caption names the lines. */
function chart(title: string, xLabel: string, yLabel: string, x: string[], series: ChartSeries[]): string {
  const lines = series.map((s) => `  line [${s.values.map((v) => +v.toFixed(2)).join(', ')}]`);
  const caption = series.length > 1 ? `\n\nLines, in order: ${md(series.map((s) => s.name).join(', '))}.` : '';
  return (
    [
      '```mermaid',
      'xychart-beta',
      `  title ${quote(title)}`,
      `  x-axis ${quote(xLabel)} [${x.map(quote).join(', ')}]`,
      `  y-axis ${quote(yLabel)}`,
      ...lines,
      '```',
    ].join('\n') + caption
  );
}

function block(b: SummaryBlock): string {
  switch (b.kind) {
    case 'heading':
      return `${'#'.repeat(b.level ?? 2)} ${md(b.text)}`;
    case 'paragraph':
      return md(b.text);
    case 'table':
      return table(b.header, b.rows);
    case 'list':
      return b.items.map((item) => `- ${md(item)}`).join('\n');
    case 'chart':
      return chart(b.title, b.xLabel, b.yLabel, b.x, b.series);
    case 'details': {
      const fence = codeFence(b.text);
      return `<details><summary>${md(b.title)}</summary>\n\n${fence}\n${b.text}\n${fence}\n\n</details>`;
    }
  }
}

export function renderMarkdown(doc: SummaryDoc): string {
  return `${doc.map(block).join('\n\n')}\n`;
}
