import { describe, expect, it } from 'vitest';
import { atMost, excerpt, firstLine } from './message-bounds.ts';

describe('bounds on what a message quotes', () => {
  it.each([
    ['short', '"short"'],
    ['two\nlines', '"two\\nlines"'],
    ['x'.repeat(80), JSON.stringify('x'.repeat(80))],
    ['y'.repeat(81), `${JSON.stringify('y'.repeat(80))}… (81 characters)`],
    ['é'.repeat(100), `${JSON.stringify('é'.repeat(80))}… (100 characters)`],
  ])('quotes %j as one short line', (text, quoted) => {
    expect(excerpt(text)).toBe(quoted);
  });

  it('keeps the first line of a library message, without control characters, cut short', () => {
    expect(firstLine('Bad thing\n\n  1 | SECRET=hunter2\n')).toBe('Bad thing');
    expect(firstLine('tab\there \u001b[31mred')).toBe('tab here  [31mred');
    expect(firstLine('z'.repeat(300))).toBe(`${'z'.repeat(160)}…`);
  });

  it('lists at most 20 items and counts the rest', () => {
    const items = Array.from({ length: 45 }, (_, i) => `problem ${i + 1}`);
    expect(atMost(items)).toEqual([...items.slice(0, 20), '… and 25 more']);
    expect(atMost(items.slice(0, 20))).toEqual(items.slice(0, 20));
  });
});
