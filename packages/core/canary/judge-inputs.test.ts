import { describe, expect, it } from 'vitest';
import { parseConfidence, parseMinEffect } from './judge-inputs.ts';

describe('judge inputs', () => {
  it('reads confidence as a fraction', () => {
    expect([parseConfidence('confidence', '99%'), parseConfidence('confidence', '99.99'), parseConfidence('confidence', '95%')]).toEqual([0.99, 0.9999, 0.95]);
  });

  it.each(['150%', '50%', '100%', '99.999%', 'high', ''])('rejects confidence %j naming what is allowed', (raw) => {
    expect(() => parseConfidence('confidence', raw)).toThrow(
      `confidence: ${JSON.stringify(raw)} is not valid; use a percentage above 50% and up to 99.99%, e.g. 99%`,
    );
  });

  it('reads min-effect keys, keeping the default of a key left out', () => {
    expect(parseMinEffect('min-effect', 'error-rate=1%, latency=50%')).toEqual({ errorRate: 0.01, latencyRatio: 0.5 });
    expect(parseMinEffect('min-effect', 'latency: 10%')).toEqual({ errorRate: 0.005, latencyRatio: 0.1 });
    expect(parseMinEffect('min-effect', '')).toEqual({ errorRate: 0.005, latencyRatio: 0.2 });
  });

  it.each(['errors=1%', 'latency=20', 'error-rate=120%'])('rejects min-effect %j', (raw) => {
    expect(() => parseMinEffect('min-effect', raw)).toThrow(`min-effect: ${JSON.stringify(raw)} is not valid; `);
  });
});
