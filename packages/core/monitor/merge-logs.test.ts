import { describe, expect, it } from 'vitest';
import { mergeLogs } from './merge-logs.ts';

describe('merged logs of a release', () => {
  it('orders the lines of every colour by time, whatever the precision docker printed', () => {
    const blue = '2025-03-01T12:00:00.5Z serving v1\n2025-03-01T12:00:02.000000001Z draining\n';
    const green = '2025-03-01T12:00:01.123456789Z starting v2\n2025-03-01T12:00:00.25Z earlier\n';
    expect(
      mergeLogs([
        { label: 'blue', text: blue },
        { label: 'green', text: green },
      ]),
    ).toEqual([
      '2025-03-01T12:00:00.250Z [green] earlier',
      '2025-03-01T12:00:00.500Z [blue] serving v1',
      '2025-03-01T12:00:01.123Z [green] starting v2',
      '2025-03-01T12:00:02.000Z [blue] draining',
    ]);
  });

  it('keeps an unstamped line after the one before it', () => {
    expect(
      mergeLogs([
        { label: 'blue', text: '2025-03-01T12:00:01Z panic:\n  at main\n' },
        { label: 'green', text: '2025-03-01T12:00:02Z up' },
      ]),
    ).toEqual(['2025-03-01T12:00:01.000Z [blue] panic:', '2025-03-01T12:00:01.000Z [blue]   at main', '2025-03-01T12:00:02.000Z [green] up']);
  });
});
