import type { ChartSeries, SummaryBlock, SummaryDoc } from './summary-doc.ts';

const SPARKS = '▁▂▃▄▅▆▇█';

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function sparkline(values: number[]): string {
  const min = Math.min(...values);
  const span = Math.max(...values) - min || 1;
  return values.map((v) => SPARKS[Math.round(((v - min) / span) * (SPARKS.length - 1))]).join('');
}

function chart(title: string, yLabel: string, series: ChartSeries[]): string {
  const name = Math.max(...series.map((s) => s.name.length));
  const rows = series.map((s) => {
    const range = `${+Math.min(...s.values).toFixed(1)}–${+Math.max(...s.values).toFixed(1)} ${yLabel}`;
    return `  ${s.name.padEnd(name)}  ${sparkline(s.values)}  ${range}`;
  });
  return [title, ...rows].join('\n');
}

function block(b: SummaryBlock): string {
  switch (b.kind) {
    case 'heading':
      return `${b.text}\n${((b.level ?? 2) === 1 ? '═' : '─').repeat(b.text.length)}`;
    case 'paragraph':
      return b.text;
    case 'table':
      return table(b.header, b.rows);
    case 'list':
      return b.items.map((item) => `  • ${item}`).join('\n');
    case 'chart':
      return b.series.length && b.x.length ? chart(b.title, b.yLabel, b.series) : '';
    case 'details':
      return `${b.title}\n${b.text}`;
  }
}

/** The same summary the job page shows, as text for a terminal. */
export function renderTerminal(doc: SummaryDoc): string {
  return `${doc.map(block).filter(Boolean).join('\n\n')}\n`;
}
