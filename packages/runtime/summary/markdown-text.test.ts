import { describe, expect, it } from 'vitest';
import { codeFence, markdownText } from './markdown-text.ts';
import { renderMarkdown } from './markdown.ts';

describe('text from reports in Markdown', () => {
  it.each([
    ['a heading', '# Deploy approved', '\\# Deploy approved'],
    ['a heading after a line break', 'ok\n## Approved', 'ok<br>## Approved'],
    ['a link', '[click here](https://evil.example)', '\\[click here\\](https://evil.example)'],
    ['an image', '![x](https://evil.example/a.png)', '!\\[x\\](https://evil.example/a.png)'],
    ['HTML', '<img src=x onerror=alert(1)><a href="https://evil.example">ok</a>', '&lt;img src=x onerror=alert(1)>&lt;a href="https://evil.example">ok&lt;/a>'],
    ['an autolink in angle brackets', '<https://evil.example>', '&lt;https://evil.example>'],
    ['a list item', '- [x] approved', '\\- \\[x\\] approved'],
    ['an ordered list', '1. first', '1\\. first'],
    ['a quote', '> note', '\\> note'],
    ['emphasis and strikethrough', '**bold** _it_ ~~gone~~', '\\*\\*bold\\*\\* \\_it\\_ \\~\\~gone\\~\\~'],
    ['a table cell break', 'a | b', 'a \\| b'],
    ['a backslash escape of its own', '\\<img>', '\\\\&lt;img>'],
    ['an escaped backtick before HTML', '\\`<img>`', '\\\\`<img>`'],
    ['a lone backtick pair that is not one', '``<b>`', '``&lt;b>`'],
  ])('cannot forge %s', (_, text, markdown) => {
    expect(markdownText(text)).toBe(markdown);
  });

  it('leaves words and our own code spans as they are', () => {
    expect(markdownText('deployment_strategies.production.quality_gates: min-coverage 80%')).toBe(
      'deployment_strategies.production.quality_gates: min-coverage 80%',
    );
    expect(markdownText('no report matched `test-results/*.xml`')).toBe('no report matched `test-results/*.xml`');
    expect(markdownText('`a|b` and\n`c\nd`')).toBe('`a\\|b` and<br>`c d`');
    expect(markdownText('src/cart.test.ts › total > rounds to cents')).toBe('src/cart.test.ts › total > rounds to cents');
    expect(['76.47%', '-5 ms', '#3 failed', '2026-05-01'].map(markdownText)).toEqual(['76.47%', '-5 ms', '#3 failed', '2026-05-01']);
    expect(['### x', '--- x', '+ x', '12) x'].map(markdownText)).toEqual(['##\\# x', '--\\- x', '\\+ x', '12\\) x']);
  });

  it('fences details so no backtick run in them closes the block', () => {
    expect(codeFence('plain')).toBe('```');
    expect(codeFence('a ```` b')).toBe('`````');
    const markdown = renderMarkdown([{ kind: 'details', title: '<b>Reports</b>', text: 'x\n```\n# forged\n```' }]);
    expect(markdown).toBe('<details><summary>&lt;b>Reports&lt;/b></summary>\n\n````\nx\n```\n# forged\n```\n````\n\n</details>\n');
  });

  it('keeps every block on its own lines: a heading, list item or cell cannot start another', () => {
    const markdown = renderMarkdown([
      { kind: 'heading', text: 'Failing tests\n# Approved', level: 3 },
      { kind: 'list', items: ['test: expected 1\n- [approve](https://evil.example)'] },
      { kind: 'table', header: ['gate', 'details'], rows: [['x', 'a\n| forged | row |']] },
      {
        kind: 'chart',
        title: 'Latency"\n```\n# forged',
        xLabel: 'round',
        yLabel: 'ms',
        x: ['1'],
        series: [
          { name: '[p50](https://evil.example)', values: [1] },
          { name: 'p95', values: [2] },
        ],
      },
    ]);
    expect(markdown).toBe(
      [
        '### Failing tests<br># Approved',
        '',
        '- test: expected 1<br>- \\[approve\\](https://evil.example)',
        '',
        '| gate | details |',
        '| --- | --- |',
        '| x | a<br>\\| forged \\| row \\| |',
        '',
        '```mermaid',
        'xychart-beta',
        `  title "Latency' \`\`\` # forged"`,
        '  x-axis "round" ["1"]',
        '  y-axis "ms"',
        '  line [1]',
        '  line [2]',
        '```',
        '',
        'Lines, in order: \\[p50\\](https://evil.example), p95.',
        '',
      ].join('\n'),
    );
  });
});
