import type { ChartSeries, SummaryBlock, SummaryDoc } from './summary-doc.ts';

const escapeCell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
const quote = (text: string): string => `"${text.replace(/"/g, "'")}"`;

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]): string => `| ${cells.map(escapeCell).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** A Mermaid xychart (GitHub renders it in job summaries). It has no legend, so a caption names the lines. */
function chart(title: string, xLabel: string, yLabel: string, x: string[], series: ChartSeries[]): string {
  const lines = series.map((s) => `  line [${s.values.map((v) => +v.toFixed(2)).join(', ')}]`);
  const caption = series.length > 1 ? `\n\nLines, in order: ${series.map((s) => s.name).join(', ')}.` : '';
  return [
    '```mermaid',
    'xychart-beta',
    `  title ${quote(title)}`,
    `  x-axis ${quote(xLabel)} [${x.map(quote).join(', ')}]`,
    `  y-axis ${quote(yLabel)}`,
    ...lines,
    '```',
  ].join('\n') + caption;
}

function block(b: SummaryBlock): string {
  switch (b.kind) {
    case 'heading':
      return `${'#'.repeat(b.level ?? 2)} ${b.text}`;
    case 'paragraph':
      return b.text;
    case 'table':
      return table(b.header, b.rows);
    case 'list':
      return b.items.map((item) => `- ${item}`).join('\n');
    case 'chart':
      return chart(b.title, b.xLabel, b.yLabel, b.x, b.series);
    case 'details':
      return `<details><summary>${b.title}</summary>\n\n\`\`\`\n${b.text}\n\`\`\`\n\n</details>`;
  }
}

export function renderMarkdown(doc: SummaryDoc): string {
  return `${doc.map(block).join('\n\n')}\n`;
}
