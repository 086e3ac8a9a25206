import { describe, expect, it } from 'vitest';
import { parseByteSize, parseStatsLines } from './managed-containers.ts';

describe('docker stats lines', () => {
  it('reads sizes in binary and decimal units', () => {
    expect(parseByteSize('12.5MiB')).toBe(13_107_200);
    expect(parseByteSize('1.5GiB')).toBe(1_610_612_736);
    expect(parseByteSize('512kB')).toBe(512_000);
    expect(parseByteSize('0B')).toBe(0);
    expect(parseByteSize('--')).toBe(0);
  });

  it('keys the usage by the full id asked for', () => {
    const full = 'a'.repeat(64);
    const line = JSON.stringify({
      Container: full,
      ID: full.slice(0, 12),
      CPUPerc: '12.34%',
      MemUsage: '48MiB / 64MiB',
      MemPerc: '75.00%',
      Name: 'mon-hungry',
    });
    expect(parseStatsLines(`${line}\n`, [full, 'b'.repeat(64)])).toEqual(
      new Map([[full, { cpuPercent: 12.34, memoryBytes: 50_331_648, memoryLimitBytes: 67_108_864, memoryPercent: 75 }]]),
    );
  });
});
