import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './markdown.ts';
import type { SummaryDoc } from './summary-doc.ts';
import { renderTerminal } from './terminal.ts';

const doc: SummaryDoc = [
  { kind: 'heading', text: 'Health check', level: 2 },
  {
    kind: 'table',
    header: ['target', 'status'],
    rows: [
      ['http://a|b', '✅ healthy'],
      ['tcp://c:1', '❌ failed'],
    ],
  },
  {
    kind: 'chart',
    title: 'Latency',
    xLabel: 'round',
    yLabel: 'ms',
    x: ['1', '2', '3'],
    series: [
      { name: 'p50', values: [1, 2.345, 3] },
      { name: 'p95', values: [4, 8, 6] },
    ],
  },
  { kind: 'list', items: ['one'] },
];

describe('markdown summary', () => {
  const markdown = renderMarkdown(doc);

  it('escapes table cells', () => {
    expect(markdown).toContain('| target | status |\n| --- | --- |\n| http://a\\|b | ✅ healthy |');
  });

  it('draws charts as Mermaid xycharts with a caption naming the lines', () => {
    expect(markdown).toContain(
      '```mermaid\nxychart-beta\n  title "Latency"\n  x-axis "round" ["1", "2", "3"]\n  y-axis "ms"\n  line [1, 2.35, 3]\n  line [4, 8, 6]\n```',
    );
    expect(markdown).toContain('Lines, in order: p50, p95.');
  });
});

describe('terminal summary', () => {
  const text = renderTerminal(doc);

  it('underlines headings and aligns table columns', () => {
    expect(text).toContain('Health check\n────────────');
    expect(text).toContain('target      status\n──────────  ─────────\nhttp://a|b  ✅ healthy\ntcp://c:1   ❌ failed');
  });

  it('draws each series as a sparkline with its range', () => {
    expect(text).toContain('  p50  ▁▆█  1–3 ms');
    expect(text).toContain('  p95  ▁█▅  4–8 ms');
  });
});
