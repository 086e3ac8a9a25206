import { describe, expect, it } from 'vitest';
import { MASK, Redactor, secretForms } from './redaction.ts';

describe('Redactor', () => {
  it('masks a secret in every form it can be printed in', () => {
    const redactor = new Redactor();
    redactor.add('p@ss word/"x"');
    for (const form of ['p@ss word/"x"', 'p%40ss%20word%2F%22x%22', 'p@ss word/\\"x\\"']) {
      expect(redactor.redact(`before ${form} after`)).toBe(`before ${MASK} after`);
    }
  });

  it('masks the decoded form of a secret given encoded', () => {
    const redactor = new Redactor();
    redactor.add('s3cr%2Fet');
    expect(redactor.redact('password s3cr/et')).toBe(`password ${MASK}`);
  });

  it('masks a secret that contains another one whole', () => {
    const redactor = new Redactor();
    redactor.add('abcd');
    redactor.add('xxabcdxx');
    expect(redactor.redact('xxabcdxx and abcd')).toBe(`${MASK} and ${MASK}`);
  });

  it('masks every string of a JSON-like value, keys included, and leaves other values alone', () => {
    const redactor = new Redactor();
    redactor.add('hunter22');
    const value = { message: 'DATABASE_URL=postgres://u:hunter22@db', hunter22: [1, 'hunter22', true, null] };
    expect(redactor.redactDeep(value)).toEqual({ message: `DATABASE_URL=postgres://u:${MASK}@db`, [MASK]: [1, MASK, true, null] });
  });

  it('does not mask values too short to be secrets', () => {
    const redactor = new Redactor();
    redactor.add('1');
    redactor.add('on');
    expect(redactor.redact('1 step on')).toBe('1 step on');
  });

  it('lists the raw, trimmed, encoded and decoded forms once each', () => {
    expect(secretForms(' a b ')).toEqual(expect.arrayContaining([' a b ', 'a b', '%20a%20b%20', 'a%20b']));
    expect(new Set(secretForms('plain')).size).toBe(secretForms('plain').length);
  });
});
